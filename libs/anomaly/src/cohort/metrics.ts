import type { CohortAggregate } from '@sightline/contracts';
import type { Expectation } from './baseline';

/**
 * The metrics the cohort detector watches, each read from a window's aggregate with the volume
 * that makes it meaningful and the sampling noise expected at that volume. Every one is "higher
 * is worse". Startup time is judged in log space (a doubling matters alike at 1 s and at 4 s).
 */
export interface MetricSpec {
  readonly name: string;
  /** The value of a window, or null when it has none. */
  value(a: CohortAggregate): number | null;
  /** How many viewers the value stands on. */
  volume(a: CohortAggregate): number;
  /** No verdict below this volume (Conviva's floor is 25 attempts a minute). */
  readonly minVolume: number;
  /** The smallest rise that is worth an alert, in the metric's units. */
  readonly minDelta: number;
  /** Sampling noise of a window's value (standard deviation) given the baseline and the volume. */
  noise(expected: number, volume: number): number;
  /** Only complete windows (on-time and late panes) say something about it. */
  readonly completeOnly: boolean;
  /** The metric as people read it (for summaries): a rate in %, a time in ms. */
  display(value: number): string;
  /** Viewers hurt, from the cohort's excess ((observed - expected) x volume) and volume. */
  affected(c: { excess: number; volume: number }): number;
}

const rateNoise = (p: number, n: number) => Math.sqrt(Math.min(0.995, Math.max(0.005, p)) * (1 - Math.min(0.995, Math.max(0.005, p))) / Math.max(1, n));
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export const METRICS: readonly MetricSpec[] = [
  {
    name: 'playback_failure_rate',
    value: (a) => (a.attempts > 0 ? a.playback_failures / a.attempts : null),
    volume: (a) => a.attempts,
    minVolume: 25,
    minDelta: 0.02,
    noise: rateNoise,
    completeOnly: false,
    display: percent,
    affected: (c) => Math.max(0, Math.round(c.excess)),
  },
  {
    name: 'ebvs_rate',
    value: (a) => (a.attempts > 0 ? a.ebvs / a.attempts : null),
    volume: (a) => a.attempts,
    minVolume: 25,
    minDelta: 0.03,
    noise: rateNoise,
    // Exits before start are known when the view completes, after its silence: only a complete
    // window counts them all.
    completeOnly: true,
    display: percent,
    affected: (c) => Math.max(0, Math.round(c.excess)),
  },
  {
    name: 'rebuffer_percentage',
    value: (a) => (a.watch_time_ms > 0 ? a.rebuffer_time_ms / a.watch_time_ms : null),
    volume: (a) => a.concurrent_viewers,
    minVolume: 25,
    minDelta: 0.02,
    // Stalls are lumpy: one viewer stalling a third of a minute moves a small cohort by a point or
    // more. The +0.01 keeps a handful of such viewers from looking like an incident.
    noise: (p, n) => Math.sqrt(((p + 0.01) * 0.5) / Math.max(1, n)),
    completeOnly: false,
    display: percent,
    affected: (c) => c.volume,
  },
  {
    name: 'startup_time_log_median',
    value: (a) => (a.startup_time_ms.median !== null && a.startup_time_ms.median > 0 ? Math.log(a.startup_time_ms.median) : null),
    volume: (a) => a.startup_time_ms.count,
    minVolume: 25,
    // A quarter slower (log 1.25).
    minDelta: Math.log(1.25),
    // The median of n log-normal startups (sd about 0.6 in log) has a standard error of 1.25 x 0.6 / sqrt(n).
    noise: (_m, n) => (1.25 * 0.6) / Math.sqrt(Math.max(1, n)),
    completeOnly: false,
    display: (x) => `${Math.round(Math.exp(x))} ms median startup`,
    affected: (c) => c.volume,
  },
];

/** How far a window's value is above what its baseline expects, in standard deviations. */
export function surprise(spec: MetricSpec, observed: number, expectation: Expectation, volume: number): number {
  const sd = Math.sqrt(expectation.spread ** 2 + spec.noise(expectation.expected, volume) ** 2);
  return (observed - expectation.expected) / sd;
}
