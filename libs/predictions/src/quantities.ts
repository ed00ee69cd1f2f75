import { logit, sigmoid } from './shrinkage';
import { F, type Stats } from './stats';

/**
 * A figure the model estimates per cohort: a weighted mean of per-view values (`sum` / `weight`
 * fields of the statistics), combined across dimensions on its link scale.
 */
export interface Quantity {
  readonly name: string;
  readonly weight: number;
  readonly sum: number;
  /** Variance of one observation around the cohort mean, given the statistics of the whole property. */
  within(global: Stats, mean: number): number;
  readonly link: (x: number) => number;
  readonly unlink: (y: number) => number;
  /** What the model assumes before it has seen a view, and how many observations that is worth. */
  readonly initial: number;
  readonly initialStrength: number;
}

const identity = (x: number) => x;
const MIN_RATE = 1e-4;

/** Share of views that end before their first frame. */
export const EBVS: Quantity = {
  name: 'exit_before_start',
  weight: F.views,
  sum: F.exits_before_start,
  within: (_g, p) => p * (1 - p),
  link: logit,
  unlink: sigmoid,
  initial: 0.05,
  initialStrength: 2,
};

/** Share of started views with at least one stall. */
export const STALLED: Quantity = {
  name: 'stall',
  weight: F.started,
  sum: F.stalled,
  within: (_g, p) => p * (1 - p),
  link: logit,
  unlink: sigmoid,
  initial: 0.2,
  initialStrength: 2,
};

/** Stalls per minute of watch time of started views (Poisson). */
export const STALL_RATE: Quantity = {
  name: 'stall_rate',
  weight: F.watch_minutes,
  sum: F.stalls,
  within: (_g, rate) => rate,
  link: (x) => Math.log(Math.max(MIN_RATE, x)),
  unlink: Math.exp,
  initial: 0.1,
  initialStrength: 1,
};

const logVariance = (count: number, sum: number, squares: number) => (g: Stats) => {
  const n = g[count]!;
  return n > 1 ? Math.max(1e-4, g[squares]! / n - (g[sum]! / n) ** 2) : 1;
};

/** Mean of log startup seconds of started views. */
export const LOG_STARTUP: Quantity = {
  name: 'log_startup',
  weight: F.startups,
  sum: F.log_startup_s,
  within: logVariance(F.startups, F.log_startup_s, F.log_startup_s_sq),
  link: identity,
  unlink: identity,
  initial: Math.log(2),
  initialStrength: 1,
};

/** Mean of log request throughput, Mbit/s. */
export const LOG_THROUGHPUT: Quantity = {
  name: 'log_throughput',
  weight: F.throughputs,
  sum: F.log_throughput_mbps,
  within: logVariance(F.throughputs, F.log_throughput_mbps, F.log_throughput_mbps_sq),
  link: identity,
  unlink: identity,
  initial: Math.log(5),
  initialStrength: 1,
};
