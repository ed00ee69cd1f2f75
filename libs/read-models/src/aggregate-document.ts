import type { CohortAggregate } from '@sightline/contracts';
import { metricsCollection } from './collections';
import type { VersionedUpsert } from './versioned-upsert';

/**
 * `_id` of a cohort's window: `property|dimension|value|window_start` (ms), property, dimension
 * and value URI-encoded (a combination's value contains `|`). The granularity is the collection.
 */
export function aggregateDocumentId(aggregate: Pick<CohortAggregate, 'property_id' | 'dimension' | 'value' | 'window_start'>): string {
  return `${encodeURIComponent(aggregate.property_id)}|${encodeURIComponent(aggregate.dimension)}|${encodeURIComponent(aggregate.value)}|${aggregate.window_start}`;
}

/**
 * The `minute_metrics` / `hour_metrics` document of a pane. Panes accumulate (each holds the
 * whole window so far), so the highest `pane_index` wins and replaces every figure.
 */
export function aggregateUpsert(aggregate: CohortAggregate): VersionedUpsert {
  const { v: _v, window_start, window_end, values_folded, ...figures } = aggregate;
  return {
    collection: metricsCollection(aggregate.granularity),
    id: aggregateDocumentId(aggregate),
    versionField: 'pane_index',
    version: aggregate.pane_index,
    fields: {
      ...figures,
      window_start: new Date(window_start),
      window_end: new Date(window_end),
      values_folded: values_folded ?? null,
    },
  };
}
