import { CohortAggregateSchema, type CohortAggregate } from '@sightline/contracts';
import { metricsCollection } from '@sightline/read-models';
import type { Db } from 'mongodb';
import type { Granularity } from '@sightline/console-queries';

const FIELDS = Object.keys(CohortAggregateSchema.properties);

/**
 * History from the MongoDB read models (docs/read-models.md): the projector's `minute_metrics`
 * and `hour_metrics` documents, one per cohort and window holding its latest pane, read back as
 * the aggregates they were made of, so the console's queries answer the same on either side.
 */
export class MongoHistory {
  constructor(private readonly db: Db) {}

  async windows(q: { propertyId: string; granularity: Granularity; dimension: string; value?: string; from: number; to: number }): Promise<CohortAggregate[]> {
    const docs = await this.db
      .collection(metricsCollection(q.granularity))
      .find({ property_id: q.propertyId, dimension: q.dimension, ...(q.value !== undefined ? { value: q.value } : {}), window_start: { $gte: new Date(q.from), $lt: new Date(q.to) } })
      .sort({ window_start: 1 })
      .toArray();
    return docs.map((doc) => aggregateOf(doc as Record<string, unknown>, q.granularity));
  }
}

/** A `*_metrics` document as the aggregate it holds: dates back to ms, the projector's own fields left out. */
export function aggregateOf(doc: Record<string, unknown>, granularity: Granularity): CohortAggregate {
  const out: Record<string, unknown> = { v: 1, granularity };
  for (const field of FIELDS) {
    const value = doc[field];
    if (value === undefined || value === null) {
      if (field !== 'values_folded' && field in doc) out[field] = value;
      continue;
    }
    out[field] = value instanceof Date ? value.getTime() : value;
  }
  out.v = 1;
  out.granularity = granularity;
  return out as CohortAggregate;
}
