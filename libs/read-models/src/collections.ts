/** The read-model collections the projector writes (docs/read-models.md). */
export const COLLECTIONS = {
  /** One document per completed view: its latest final score. */
  views: 'views',
  /** One document per cohort and minute window: its latest pane. */
  minuteMetrics: 'minute_metrics',
  /** One document per cohort and hour window: its latest pane. */
  hourMetrics: 'hour_metrics',
  /** One document per alert: its latest lifecycle transition. */
  alerts: 'alerts',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export const ALL_COLLECTIONS: readonly CollectionName[] = Object.values(COLLECTIONS);

/** The collection holding the aggregates of a granularity. */
export function metricsCollection(granularity: 'minute' | 'hour'): CollectionName {
  return granularity === 'minute' ? COLLECTIONS.minuteMetrics : COLLECTIONS.hourMetrics;
}
