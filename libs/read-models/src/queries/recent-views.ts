import { COLLECTIONS } from '../collections';
import type { ViewCohortField } from '../indexes';
import { checkRangeAndLimit, type FindQuery, type TimeRange } from './find-query';

export interface RecentViewsParams extends TimeRange {
  readonly propertyId: string;
  /** At most one indexed cohort field (cdn, country, asn or title), as the indexes are built. */
  readonly cohort?: { readonly field: ViewCohortField; readonly value: string | number };
  readonly limit: number;
}

/** Completed views of a property, newest first, optionally of one cohort. */
export function recentViewsQuery(params: RecentViewsParams): FindQuery {
  checkRangeAndLimit(params, params.limit);
  return {
    collection: COLLECTIONS.views,
    filter: {
      property_id: params.propertyId,
      ...(params.cohort ? { [params.cohort.field]: params.cohort.value } : {}),
      completed_at: { $gte: params.from, $lt: params.to },
    },
    sort: { completed_at: -1 },
    limit: params.limit,
    projection: { metrics: 0 },
  };
}
