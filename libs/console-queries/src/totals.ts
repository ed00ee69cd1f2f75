import { DDSketch } from '@datadog/sketches-js';
import type { CohortAggregate } from '@sightline/contracts';
import { loadSketch } from '@sightline/windowing';
import type { Figures } from './metrics';

/** Relative accuracy of the aggregates' startup-time sketches (docs/aggregates.md). */
const SKETCH_ACCURACY = 0.01;

const SCORES = ['overall', 'playback_success', 'startup_time', 'smoothness', 'video_quality'] as const;
type ScoreName = (typeof SCORES)[number];

/**
 * Windows of cohort aggregates added up: counts and times summed, startup sketches merged (so
 * percentiles are those of all the startups, never averages of percentiles), bitrate weighted by
 * playing time, scores weighted by scored views, and concurrent viewers summed per window
 * (cohorts of one dimension hold different views) and peaked over the windows.
 */
export class Totals {
  windows = 0;
  attempts = 0;
  plays = 0;
  endedPlays = 0;
  ebvs = 0;
  startFailures = 0;
  playbackFailures = 0;
  watchMs = 0;
  playingMs = 0;
  rebufferMs = 0;
  rebufferCount = 0;
  scoredViews = 0;
  /** Σ bitrate × playing time, and the playing time of the windows that had a bitrate. */
  private bitrateMs = 0;
  private bitrateWeightMs = 0;
  private readonly concurrent = new Map<number, number>();
  private readonly scoreSums: Record<ScoreName, number> = { overall: 0, playback_success: 0, startup_time: 0, smoothness: 0, video_quality: 0 };
  private readonly scoreCounts: Record<ScoreName, number> = { overall: 0, playback_success: 0, startup_time: 0, smoothness: 0, video_quality: 0 };
  private startup: DDSketch | undefined;
  readonly distribution: number[] = Array.from({ length: 10 }, () => 0);

  add(a: CohortAggregate): this {
    this.windows++;
    this.attempts += a.attempts;
    this.plays += a.plays;
    this.endedPlays += a.ended_plays;
    this.ebvs += a.ebvs;
    this.startFailures += a.start_failures;
    this.playbackFailures += a.playback_failures;
    this.watchMs += a.watch_time_ms;
    this.playingMs += a.playing_time_ms;
    this.rebufferMs += a.rebuffer_time_ms;
    this.rebufferCount += a.rebuffer_count;
    this.scoredViews += a.scored_views;
    this.concurrent.set(a.window_start, (this.concurrent.get(a.window_start) ?? 0) + a.concurrent_viewers);
    if (a.weighted_average_bitrate_bps !== null && a.playing_time_ms > 0) {
      this.bitrateMs += a.weighted_average_bitrate_bps * a.playing_time_ms;
      this.bitrateWeightMs += a.playing_time_ms;
    }
    for (const name of SCORES) {
      const mean = a.mean_scores[name];
      if (mean !== null && a.scored_views > 0) {
        this.scoreSums[name] += mean * a.scored_views;
        this.scoreCounts[name] += a.scored_views;
      }
    }
    a.overall_score_distribution.forEach((n, i) => (this.distribution[i]! += n));
    if (a.startup_time_ms.count > 0) {
      const sketch = loadSketch(a.startup_time_ms.sketch, SKETCH_ACCURACY);
      if (this.startup) this.startup.merge(sketch);
      else this.startup = sketch;
    }
    return this;
  }

  /** Adds another cohort's totals (other views: concurrent viewers add up per window). */
  merge(other: Totals): this {
    this.windows += other.windows;
    this.attempts += other.attempts;
    this.plays += other.plays;
    this.endedPlays += other.endedPlays;
    this.ebvs += other.ebvs;
    this.startFailures += other.startFailures;
    this.playbackFailures += other.playbackFailures;
    this.watchMs += other.watchMs;
    this.playingMs += other.playingMs;
    this.rebufferMs += other.rebufferMs;
    this.rebufferCount += other.rebufferCount;
    this.scoredViews += other.scoredViews;
    this.bitrateMs += other.bitrateMs;
    this.bitrateWeightMs += other.bitrateWeightMs;
    for (const [t, n] of other.concurrent) this.concurrent.set(t, (this.concurrent.get(t) ?? 0) + n);
    for (const name of SCORES) {
      this.scoreSums[name] += other.scoreSums[name];
      this.scoreCounts[name] += other.scoreCounts[name];
    }
    other.distribution.forEach((n, i) => (this.distribution[i]! += n));
    if (other.startup && other.startup.count > 0) {
      if (!this.startup) this.startup = new DDSketch({ relativeAccuracy: SKETCH_ACCURACY });
      this.startup.merge(other.startup);
    }
    return this;
  }

  /** Peak of the per-window sums of concurrent viewers. */
  get peakConcurrent(): number {
    let peak = 0;
    for (const n of this.concurrent.values()) peak = Math.max(peak, n);
    return peak;
  }

  figures(): Figures {
    const fraction = (part: number, whole: number) => (whole > 0 ? part / whole : null);
    const mean = (name: ScoreName) => (this.scoreCounts[name] > 0 ? this.scoreSums[name] / this.scoreCounts[name] : null);
    const quantile = (q: number) => (this.startup && this.startup.count > 0 ? this.startup.getValueAtQuantile(q) : null);
    return {
      attempts: this.attempts,
      plays: this.plays,
      ended_plays: this.endedPlays,
      concurrent_viewers: this.peakConcurrent,
      startup_time_median_ms: quantile(0.5),
      startup_time_p95_ms: quantile(0.95),
      rebuffer_percentage: fraction(this.rebufferMs, this.watchMs),
      rebuffering_ratio: fraction(this.rebufferMs, this.playingMs + this.rebufferMs),
      start_failure_rate: fraction(this.startFailures, this.attempts),
      ebvs_rate: fraction(this.ebvs, this.attempts),
      playback_failure_rate: fraction(this.playbackFailures, this.attempts),
      weighted_average_bitrate_bps: fraction(this.bitrateMs, this.bitrateWeightMs),
      mean_overall_score: mean('overall'),
      mean_playback_success_score: mean('playback_success'),
      mean_startup_time_score: mean('startup_time'),
      mean_smoothness_score: mean('smoothness'),
      mean_video_quality_score: mean('video_quality'),
      watch_time_ms: this.watchMs,
      rebuffer_time_ms: this.rebufferMs,
      rebuffer_count: this.rebufferCount,
      start_failures: this.startFailures,
      playback_failures: this.playbackFailures,
      ebvs: this.ebvs,
      scored_views: this.scoredViews,
    };
  }
}

/** The totals of some windows. */
export function totalsOf(windows: Iterable<CohortAggregate>): Totals {
  const totals = new Totals();
  for (const w of windows) totals.add(w);
  return totals;
}

/**
 * The answer among the panes read: per window and cohort the highest `pane_index`, and of a
 * window only the cohorts present in its latest pane (a value named in an early pane and folded
 * into `other` later is dropped), as docs/aggregates.md says.
 */
export function latestWindows(panes: Iterable<CohortAggregate>): CohortAggregate[] {
  const byCohort = new Map<string, CohortAggregate>();
  const latestPane = new Map<string, number>();
  for (const p of panes) {
    const window = `${p.property_id}|${p.granularity}|${p.window_start}|${p.dimension}`;
    const key = `${window}|${p.value}`;
    if ((byCohort.get(key)?.pane_index ?? -1) < p.pane_index) byCohort.set(key, p);
    if ((latestPane.get(window) ?? -1) < p.pane_index) latestPane.set(window, p.pane_index);
  }
  return [...byCohort.values()]
    .filter((p) => latestPane.get(`${p.property_id}|${p.granularity}|${p.window_start}|${p.dimension}`) === p.pane_index)
    .sort((a, b) => a.window_start - b.window_start || a.value.localeCompare(b.value));
}
