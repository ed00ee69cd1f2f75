import { metricsCollection } from '../collections';
import { checkRangeAndLimit, MAX_LIMIT, type FindQuery, type TimeRange } from './find-query';

export interface MetricSeriesParams extends TimeRange {
  readonly granularity: 'minute' | 'hour';
  readonly propertyId: string;
  readonly dimension: string;
  readonly value: string;
}

/** One cohort's windows in a range, oldest first (a chart's series); at most 1000 windows. */
export function metricSeriesQuery(params: MetricSeriesParams): FindQuery {
  checkRangeAndLimit(params, MAX_LIMIT);
  return {
    collection: metricsCollection(params.granularity),
    filter: { property_id: params.propertyId, dimension: params.dimension, value: params.value, window_start: { $gte: params.from, $lt: params.to } },
    sort: { window_start: 1 },
    limit: MAX_LIMIT,
    projection: { 'startup_time_ms.sketch': 0 },
  };
}
