/**
 * The figures the console shows, each computed from the cohort aggregates of a range
 * (docs/aggregates.md; definitions in docs/metrics.md#aggregates). `kind` says how a figure
 * reads: a count, a duration in ms, a fraction, a bitrate or a score (0-100).
 */
export const METRICS = {
  attempts: { kind: 'count', label: 'Attempts', better: 'higher' },
  plays: { kind: 'count', label: 'Plays', better: 'higher' },
  ended_plays: { kind: 'count', label: 'Ended views', better: 'higher' },
  concurrent_viewers: { kind: 'count', label: 'Peak concurrent viewers', better: 'higher' },
  startup_time_median_ms: { kind: 'ms', label: 'Startup time (median)', better: 'lower' },
  startup_time_p95_ms: { kind: 'ms', label: 'Startup time (p95)', better: 'lower' },
  rebuffer_percentage: { kind: 'fraction', label: 'Rebuffer percentage', better: 'lower' },
  rebuffering_ratio: { kind: 'fraction', label: 'Rebuffering ratio', better: 'lower' },
  start_failure_rate: { kind: 'fraction', label: 'Startup failures', better: 'lower' },
  ebvs_rate: { kind: 'fraction', label: 'Exits before start', better: 'lower' },
  playback_failure_rate: { kind: 'fraction', label: 'Playback failures', better: 'lower' },
  weighted_average_bitrate_bps: { kind: 'bps', label: 'Weighted bitrate', better: 'higher' },
  mean_overall_score: { kind: 'score', label: 'Overall score', better: 'higher' },
  mean_playback_success_score: { kind: 'score', label: 'Playback success score', better: 'higher' },
  mean_startup_time_score: { kind: 'score', label: 'Startup score', better: 'higher' },
  mean_smoothness_score: { kind: 'score', label: 'Smoothness score', better: 'higher' },
  mean_video_quality_score: { kind: 'score', label: 'Video quality score', better: 'higher' },
  watch_time_ms: { kind: 'ms', label: 'Watch time', better: 'higher' },
  rebuffer_time_ms: { kind: 'ms', label: 'Rebuffer time', better: 'lower' },
  rebuffer_count: { kind: 'count', label: 'Stalls', better: 'lower' },
  start_failures: { kind: 'count', label: 'Startup failures (count)', better: 'lower' },
  playback_failures: { kind: 'count', label: 'Playback failures (count)', better: 'lower' },
  ebvs: { kind: 'count', label: 'Exits before start (count)', better: 'lower' },
  scored_views: { kind: 'count', label: 'Scored views', better: 'higher' },
} as const satisfies Record<string, { kind: 'count' | 'ms' | 'fraction' | 'bps' | 'score'; label: string; better: 'higher' | 'lower' }>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** A range's figures: every metric, null where its denominator is 0. */
export type Figures = Record<MetricName, number | null>;

/** The overview's tiles, in order. */
export const OVERVIEW_METRICS: readonly MetricName[] = [
  'plays',
  'concurrent_viewers',
  'startup_time_median_ms',
  'startup_time_p95_ms',
  'rebuffer_percentage',
  'rebuffering_ratio',
  'start_failure_rate',
  'ebvs_rate',
  'playback_failure_rate',
  'weighted_average_bitrate_bps',
  'mean_overall_score',
  'mean_playback_success_score',
  'mean_startup_time_score',
  'mean_smoothness_score',
  'mean_video_quality_score',
];

export function isMetric(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}
