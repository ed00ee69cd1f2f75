import { DDSketch } from '@datadog/sketches-js';
import type { CohortAggregate, Scores, ViewActivity } from '@sightline/contracts';
import { SCORE_VERSION } from '@sightline/qoe-score';
import { loadSketch, saveSketch } from '@sightline/windowing';
import { MINUTE_MS } from './activity';

/** Relative accuracy of the startup-time sketch: every reported percentile is within 1%. */
const SKETCH_RELATIVE_ACCURACY = 0.01;

const SCORE_NAMES = ['overall', 'playback_success', 'startup_time', 'smoothness', 'video_quality'] as const;
type ScoreName = (typeof SCORE_NAMES)[number];

/** The running totals of one cohort in one window. Mergeable: cohorts fold into "other". */
export interface CohortAccumulator {
  attempts: number;
  plays: number;
  ended: number;
  ebvs: number;
  startFailures: number;
  playbackFailures: number;
  /** Concurrent viewers per minute of the window (minute start -> viewers). */
  concurrent: Record<string, number>;
  watchMs: number;
  playingMs: number;
  rebufferMs: number;
  rebufferCount: number;
  bitrateMs: number;
  bitrateWeightMs: number;
  startup: DDSketch;
  scoreSums: Record<ScoreName, number>;
  scoreCounts: Record<ScoreName, number>;
  distribution: number[];
}

/** The result fields of an aggregate, without its window and cohort. */
export type AggregateFigures = Omit<CohortAggregate, 'v' | 'property_id' | 'granularity' | 'window_start' | 'window_end' | 'dimension' | 'value' | 'timing' | 'pane_index' | 'values_folded'>;

const zeroScores = (): Record<ScoreName, number> => ({ overall: 0, playback_success: 0, startup_time: 0, smoothness: 0, video_quality: 0 });

export function createAccumulator(): CohortAccumulator {
  return {
    attempts: 0,
    plays: 0,
    ended: 0,
    ebvs: 0,
    startFailures: 0,
    playbackFailures: 0,
    concurrent: {},
    watchMs: 0,
    playingMs: 0,
    rebufferMs: 0,
    rebufferCount: 0,
    bitrateMs: 0,
    bitrateWeightMs: 0,
    startup: new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY }),
    scoreSums: zeroScores(),
    scoreCounts: zeroScores(),
    distribution: new Array<number>(10).fill(0),
  };
}

/** The bin of an overall score: [0,10) -> 0, ..., [90,100] -> 9. */
const scoreBin = (score: number): number => Math.min(9, Math.max(0, Math.floor(score / 10)));

export function addActivity(acc: CohortAccumulator, a: ViewActivity): CohortAccumulator {
  acc.attempts += a.attempt;
  acc.plays += a.play;
  acc.ended += a.ended;
  acc.ebvs += a.ebvs;
  acc.startFailures += a.start_failure;
  acc.playbackFailures += a.playback_failure;
  if (a.concurrent) {
    const minute = String(Math.floor(a.at / MINUTE_MS) * MINUTE_MS);
    acc.concurrent[minute] = (acc.concurrent[minute] ?? 0) + 1;
  }
  acc.watchMs += a.watch_ms;
  acc.playingMs += a.playing_ms;
  acc.rebufferMs += a.rebuffer_ms;
  acc.rebufferCount += a.rebuffer_count;
  acc.bitrateMs += a.bitrate_ms;
  acc.bitrateWeightMs += a.bitrate_weight_ms;
  if (a.play && a.startup_time_ms !== null) acc.startup.accept(a.startup_time_ms);
  if (a.scores) addScores(acc, a.scores);
  return acc;
}

function addScores(acc: CohortAccumulator, scores: Scores): void {
  for (const name of SCORE_NAMES) {
    const value = scores[name];
    if (value === null) continue;
    acc.scoreSums[name] += value;
    acc.scoreCounts[name]++;
  }
  if (scores.overall !== null) acc.distribution[scoreBin(scores.overall)]!++;
}

/** Folds `b` into `a` and returns `a`. */
export function mergeAccumulators(a: CohortAccumulator, b: CohortAccumulator): CohortAccumulator {
  a.attempts += b.attempts;
  a.plays += b.plays;
  a.ended += b.ended;
  a.ebvs += b.ebvs;
  a.startFailures += b.startFailures;
  a.playbackFailures += b.playbackFailures;
  for (const [minute, viewers] of Object.entries(b.concurrent)) a.concurrent[minute] = (a.concurrent[minute] ?? 0) + viewers;
  a.watchMs += b.watchMs;
  a.playingMs += b.playingMs;
  a.rebufferMs += b.rebufferMs;
  a.rebufferCount += b.rebufferCount;
  a.bitrateMs += b.bitrateMs;
  a.bitrateWeightMs += b.bitrateWeightMs;
  a.startup.merge(b.startup);
  for (const name of SCORE_NAMES) {
    a.scoreSums[name] += b.scoreSums[name];
    a.scoreCounts[name] += b.scoreCounts[name];
  }
  b.distribution.forEach((n, i) => (a.distribution[i]! += n));
  return a;
}

/** Concurrent viewers of a window: the peak over its minutes (a one-minute window has one). */
const peakConcurrent = (acc: CohortAccumulator): number => Object.values(acc.concurrent).reduce((peak, n) => Math.max(peak, n), 0);

/** How a cohort ranks for the top N: viewers it had (attempts plus peak concurrent viewers). */
export const volumeOf = (acc: CohortAccumulator): number => acc.attempts + peakConcurrent(acc);

const fraction = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The published figures of a cohort's window (docs/aggregates.md#aggregates-per-window-per-cohort, docs/metrics.md#aggregates). */
export function figuresOf(acc: CohortAccumulator): AggregateFigures {
  const startup = acc.startup;
  const empty = startup.count === 0;
  const mean = (name: ScoreName): number | null => (acc.scoreCounts[name] === 0 ? null : acc.scoreSums[name] / acc.scoreCounts[name]);
  return {
    attempts: acc.attempts,
    plays: acc.plays,
    ended_plays: acc.ended,
    concurrent_viewers: peakConcurrent(acc),
    ebvs: acc.ebvs,
    start_failures: acc.startFailures,
    playback_failures: acc.playbackFailures,
    ebvs_rate: fraction(acc.ebvs, acc.attempts),
    start_failure_rate: fraction(acc.startFailures, acc.attempts),
    playback_failure_rate_of_attempts: fraction(acc.playbackFailures, acc.attempts),
    playback_failure_rate_of_ended_plays: fraction(acc.playbackFailures, acc.ended),
    startup_time_ms: {
      count: startup.count,
      median: empty ? null : startup.getValueAtQuantile(0.5),
      p95: empty ? null : startup.getValueAtQuantile(0.95),
      sketch: saveSketch(startup, SKETCH_RELATIVE_ACCURACY),
    },
    watch_time_ms: acc.watchMs,
    playing_time_ms: acc.playingMs,
    rebuffer_time_ms: acc.rebufferMs,
    rebuffer_count: acc.rebufferCount,
    rebuffer_percentage: fraction(acc.rebufferMs, acc.watchMs),
    rebuffering_ratio: fraction(acc.rebufferMs, acc.playingMs + acc.rebufferMs),
    weighted_average_bitrate_bps: fraction(acc.bitrateMs, acc.bitrateWeightMs),
    scored_views: acc.scoreCounts.overall,
    score_version: SCORE_VERSION,
    mean_scores: {
      overall: mean('overall'),
      playback_success: mean('playback_success'),
      startup_time: mean('startup_time'),
      smoothness: mean('smoothness'),
      video_quality: mean('video_quality'),
    },
    overall_score_distribution: [...acc.distribution],
  };
}

/** JSON-safe form of an accumulator (the sketch as base64 protobuf). */
export function saveAccumulator(acc: CohortAccumulator): unknown {
  return {
    ...acc,
    concurrent: { ...acc.concurrent },
    startup: saveSketch(acc.startup, SKETCH_RELATIVE_ACCURACY),
    scoreSums: { ...acc.scoreSums },
    scoreCounts: { ...acc.scoreCounts },
    distribution: [...acc.distribution],
  };
}

export function loadAccumulator(saved: unknown): CohortAccumulator {
  const s = saved as Omit<CohortAccumulator, 'startup'> & { startup: string };
  return {
    ...s,
    concurrent: { ...s.concurrent },
    scoreSums: { ...s.scoreSums },
    scoreCounts: { ...s.scoreCounts },
    distribution: [...s.distribution],
    startup: loadSketch(s.startup, SKETCH_RELATIVE_ACCURACY),
  };
}
