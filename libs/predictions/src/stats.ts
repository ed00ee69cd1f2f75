import { PREDICTION_STAT_FIELDS } from '@sightline/contracts';
import type { ViewOutcome } from './record';

/** The sufficient statistics of a cohort (layout: PREDICTION_STAT_FIELDS). Never mutated once built: models share them. */
export type Stats = number[];

type Field = (typeof PREDICTION_STAT_FIELDS)[number];
/** Index of each field in a Stats array. */
export const F = Object.fromEntries(PREDICTION_STAT_FIELDS.map((name, i) => [name, i])) as Record<Field, number>;

export const EMPTY_STATS: Stats = new Array<number>(PREDICTION_STAT_FIELDS.length).fill(0);

const MIN_STARTUP_S = 0.01;
const MIN_RATE_MBPS = 0.001;

/** The statistics of one view: the amounts it adds to every cohort it belongs to (`at` unset). */
export function statsOfOutcome(o: ViewOutcome): Stats {
  const s = [...EMPTY_STATS];
  s[F.views] = 1;
  if (o.exited_before_start) s[F.exits_before_start] = 1;
  if (o.started) {
    const minutes = o.watch_time_ms / 60_000;
    s[F.started] = 1;
    s[F.stalled] = o.rebuffer_count > 0 ? 1 : 0;
    s[F.stalls] = o.rebuffer_count;
    s[F.watch_minutes] = minutes;
    s[F.stall_sq_per_minute] = minutes > 0 ? (o.rebuffer_count * o.rebuffer_count) / minutes : 0;
    s[F.watch_minutes_sq] = minutes * minutes;
  }
  if (o.started && o.startup_time_ms !== null) {
    const log = Math.log(Math.max(MIN_STARTUP_S, o.startup_time_ms / 1000));
    s[F.startups] = 1;
    s[F.log_startup_s] = log;
    s[F.log_startup_s_sq] = log * log;
  }
  if (o.request_throughput_bps !== null && o.request_throughput_bps > 0) {
    const log = Math.log(Math.max(MIN_RATE_MBPS, o.request_throughput_bps / 1e6));
    s[F.throughputs] = 1;
    s[F.log_throughput_mbps] = log;
    s[F.log_throughput_mbps_sq] = log * log;
  }
  if (o.weighted_average_bitrate_bps !== null && o.weighted_average_bitrate_bps > 0) {
    s[F.bitrates] = 1;
    s[F.log_bitrate_mbps] = Math.log(Math.max(MIN_RATE_MBPS, o.weighted_average_bitrate_bps / 1e6));
  }
  return s;
}

/** Weight left after `elapsedMs` with the given half-life (0: no decay). */
function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return halfLifeMs > 0 && elapsedMs > 0 ? Math.pow(2, -elapsedMs / halfLifeMs) : 1;
}

/** `stats` decayed to time `at` (no later than it: statistics are never moved back in time). */
export function decayTo(stats: Stats, at: number, halfLifeMs: number): Stats {
  const from = stats[F.at]!;
  if (at <= from) return stats;
  const f = decayFactor(at - from, halfLifeMs);
  return stats.map((v, i) => (i === F.at ? at : v * f));
}

/**
 * The sum of two statistics, at the later of their times (the earlier decayed to it). Exact and
 * order-free up to rounding: decayed sums are linear.
 */
export function addStats(a: Stats, b: Stats, halfLifeMs: number): Stats {
  const at = Math.max(a[F.at]!, b[F.at]!);
  const x = decayTo(a, at, halfLifeMs);
  const y = decayTo(b, at, halfLifeMs);
  return x.map((v, i) => (i === F.at ? at : v + y[i]!));
}

/** Weight of a cohort at time `at`: its decayed view count. */
export function weightAt(stats: Stats, at: number, halfLifeMs: number): number {
  return stats[F.views]! * decayFactor(at - stats[F.at]!, halfLifeMs);
}
