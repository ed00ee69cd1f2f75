import { metricsCollection } from '../collections';
import { checkRangeAndLimit, type AggregateQuery, type TimeRange } from './find-query';

/** Counts a cohort ranking can be ordered by, summed over the windows of the range. */
export const COHORT_RANKINGS = ['attempts', 'plays', 'playback_failures', 'start_failures', 'ebvs', 'rebuffer_time_ms', 'watch_time_ms'] as const;
export type CohortRanking = (typeof COHORT_RANKINGS)[number];

export interface TopCohortsParams extends TimeRange {
  readonly granularity: 'minute' | 'hour';
  readonly propertyId: string;
  readonly dimension: string;
  readonly by: CohortRanking;
  readonly limit: number;
}

/** One row of a ranking: a cohort's sums over the range and the rates derived from them. */
export interface CohortTotals {
  readonly value: string;
  readonly windows: number;
  readonly attempts: number;
  readonly plays: number;
  readonly ended_plays: number;
  readonly playback_failures: number;
  readonly start_failures: number;
  readonly ebvs: number;
  readonly watch_time_ms: number;
  readonly rebuffer_time_ms: number;
  readonly playback_failure_rate: number | null;
  readonly rebuffer_percentage: number | null;
}

const ratio = (numerator: string, denominator: string) => ({
  $cond: [{ $gt: [`$${denominator}`, 0] }, { $divide: [`$${numerator}`, `$${denominator}`] }, null],
});

/**
 * The values of a dimension with the most of `by` in a range (e.g. the CDNs with most playback
 * failures in the last hour). `all` and the `other` bucket are left out: they are not cohorts.
 */
export function topCohortsQuery(params: TopCohortsParams): AggregateQuery {
  checkRangeAndLimit(params, params.limit);
  if (!(COHORT_RANKINGS as readonly string[]).includes(params.by)) throw new RangeError(`by must be one of ${COHORT_RANKINGS.join(', ')}, got ${params.by}`);
  return {
    collection: metricsCollection(params.granularity),
    pipeline: [
      { $match: { property_id: params.propertyId, dimension: params.dimension, value: { $nin: ['all', 'other'] }, window_start: { $gte: params.from, $lt: params.to } } },
      {
        $group: {
          _id: '$value',
          windows: { $sum: 1 },
          attempts: { $sum: '$attempts' },
          plays: { $sum: '$plays' },
          ended_plays: { $sum: '$ended_plays' },
          playback_failures: { $sum: '$playback_failures' },
          start_failures: { $sum: '$start_failures' },
          ebvs: { $sum: '$ebvs' },
          watch_time_ms: { $sum: '$watch_time_ms' },
          rebuffer_time_ms: { $sum: '$rebuffer_time_ms' },
        },
      },
      { $sort: { [params.by]: -1, _id: 1 } },
      { $limit: params.limit },
      {
        $project: {
          _id: 0,
          value: '$_id',
          windows: 1,
          attempts: 1,
          plays: 1,
          ended_plays: 1,
          playback_failures: 1,
          start_failures: 1,
          ebvs: 1,
          watch_time_ms: 1,
          rebuffer_time_ms: 1,
          playback_failure_rate: ratio('playback_failures', 'attempts'),
          rebuffer_percentage: ratio('rebuffer_time_ms', 'watch_time_ms'),
        },
      },
    ],
  };
}
