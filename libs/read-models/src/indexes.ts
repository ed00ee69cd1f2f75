import { COLLECTIONS, type CollectionName } from './collections';

/** How long each collection keeps its documents, days (counted from the document's time field). */
export interface Retention {
  readonly viewsDays: number;
  readonly minuteMetricsDays: number;
  readonly hourMetricsDays: number;
  readonly alertsDays: number;
}

/** An index as plain data: the key, its name, and for TTL indexes the expiry. */
export interface IndexSpec {
  readonly collection: CollectionName;
  readonly name: string;
  readonly key: Readonly<Record<string, 1 | -1>>;
  /** Seconds after the (single, Date) key field's value at which MongoDB deletes the document. */
  readonly expireAfterSeconds?: number;
}

const DAY_SECONDS = 24 * 3600;

/** Days as whole seconds; retention must be a positive number of days. */
export function retentionSeconds(days: number): number {
  if (!(days > 0) || !Number.isFinite(days)) throw new RangeError(`retention must be a positive number of days, got ${days}`);
  return Math.round(days * DAY_SECONDS);
}

/** Cohort fields the dashboard filters views by, each indexed with property and time. */
export const VIEW_COHORT_FIELDS = ['cdn', 'country', 'asn', 'title'] as const;
export type ViewCohortField = (typeof VIEW_COHORT_FIELDS)[number];

/**
 * Every index of the read models: those the queries of `queries/` use, and one TTL index per
 * collection on its time field.
 */
export function indexSpecs(retention: Retention): IndexSpec[] {
  const views: IndexSpec[] = [
    { collection: COLLECTIONS.views, name: 'property_completed', key: { property_id: 1, completed_at: -1 } },
    ...VIEW_COHORT_FIELDS.map(
      (field): IndexSpec => ({ collection: COLLECTIONS.views, name: `property_${field}_completed`, key: { property_id: 1, [field]: 1, completed_at: -1 } }),
    ),
    { collection: COLLECTIONS.views, name: 'ttl_completed', key: { completed_at: 1 }, expireAfterSeconds: retentionSeconds(retention.viewsDays) },
  ];
  const metrics = (collection: CollectionName, days: number): IndexSpec[] => [
    { collection, name: 'property_dimension_value_window', key: { property_id: 1, dimension: 1, value: 1, window_start: 1 } },
    { collection, name: 'property_dimension_window', key: { property_id: 1, dimension: 1, window_start: 1 } },
    { collection, name: 'ttl_window_start', key: { window_start: 1 }, expireAfterSeconds: retentionSeconds(days) },
  ];
  const alerts: IndexSpec[] = [
    { collection: COLLECTIONS.alerts, name: 'property_state_at', key: { property_id: 1, state: 1, at: -1 } },
    { collection: COLLECTIONS.alerts, name: 'property_at', key: { property_id: 1, at: -1 } },
    { collection: COLLECTIONS.alerts, name: 'ttl_at', key: { at: 1 }, expireAfterSeconds: retentionSeconds(retention.alertsDays) },
  ];
  return [
    ...views,
    ...metrics(COLLECTIONS.minuteMetrics, retention.minuteMetricsDays),
    ...metrics(COLLECTIONS.hourMetrics, retention.hourMetricsDays),
    ...alerts,
  ];
}
