import type { Anomaly, Cohort, CohortAggregate, Severity } from '@sightline/contracts';
import { DEFAULT_BASELINE_OPTIONS, emptyBaseline, expectationAt, learn, type BaselineOptions, type Expectation, type SeasonalBaseline } from './baseline';
import { METRICS, surprise, type MetricSpec } from './metrics';
import { rootCause, type CauseCandidate, type RootCause } from './root-cause';

const COHORT_DETECTOR = 'cohort-baseline/1';

export interface DetectorOptions {
  readonly baseline: BaselineOptions;
  /** Surprise (standard deviations above the baseline) that makes a window anomalous. */
  readonly fireZ: number;
  /** Below this surprise a window is normal again. */
  readonly normalZ: number;
  /** An anomaly must last this long (partition time, over at least two windows' panes) before it is published. */
  readonly persistMs: number;
  /** An active anomaly resolves after this long normal; until then the same anomaly is not published again. */
  readonly resolveMs: number;
  /** Surprise and volume needed to be critical rather than a warning. */
  readonly criticalZ: number;
  readonly criticalViewers: number;
  /** Share of its dimension's degradation a cohort must hold to be named the cause. */
  readonly minShare: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  baseline: DEFAULT_BASELINE_OPTIONS,
  fireZ: 4,
  normalZ: 2,
  persistMs: 30_000,
  resolveMs: 120_000,
  criticalZ: 8,
  criticalViewers: 10,
  minShare: 0.6,
};

/** What the detector keeps of a window's cohort: the figures its metrics read. */
type WindowFigures = Pick<
  CohortAggregate,
  'attempts' | 'plays' | 'playback_failures' | 'ebvs' | 'watch_time_ms' | 'rebuffer_time_ms' | 'concurrent_viewers' | 'timing' | 'pane_index'
> & { startup_time_ms: { count: number; median: number | null } };

interface Streak {
  /** Partition time of the first anomalous evaluation of this streak, or null when normal. */
  since: number | null;
  count: number;
  /** Partition time since which evaluations have been normal, or null. */
  normalSince: number | null;
}

interface CohortState {
  baselines: Record<string, SeasonalBaseline>;
  streaks: Record<string, Streak>;
  /** Window whose complete value each metric's baseline last learned. */
  learned: Record<string, number>;
}

interface ActiveAnomaly {
  readonly id: string;
  readonly metric: string;
  readonly key: string;
  readonly since: number;
  normalSince: number | null;
  lastSeen: number;
}

/** A cohort that has fired, waiting for the rest of its pane before the root-cause search. */
interface PendingTrigger {
  readonly metric: string;
  readonly key: string;
  readonly property_id: string;
  readonly window_start: number;
  readonly pane_index: number;
  readonly timing: CohortAggregate['timing'];
}

export interface SavedDetector {
  readonly format: 'sightline-cohort-detector';
  readonly version: 1;
  readonly cohorts: Record<string, CohortState>;
  readonly recent: Record<string, Record<string, WindowFigures>>;
  readonly active: Record<string, ActiveAnomaly>;
  readonly pending: PendingTrigger[];
}

const SEP = '\u0000';
const keyOf = (dimension: string, value: string) => `${dimension}${SEP}${value}`;
const splitKey = (key: string) => key.split(SEP) as [string, string];
const RECENT_WINDOWS = 4;
const MINUTE_MS = 60_000;

/** A cohort of the aggregates as the `cohort` of an anomaly, in the dimension names players and ingest use. */
export function cohortRecord(dimension: string, value: string): Cohort {
  if (dimension === 'all') return {};
  const dims = dimension.split('+');
  const values = dims.length > 1 ? value.split('|') : [value];
  const cohort: Cohort = {};
  dims.forEach((d, i) => {
    const v = values[i] ?? '';
    if (d === 'player') cohort.player_name = v;
    else if (d === 'player_version') {
      const space = v.lastIndexOf(' ');
      if (space > 0) cohort.player_name = v.slice(0, space);
      cohort.player_version = space > 0 ? v.slice(space + 1) : v;
    } else if (d === 'title') cohort.video_title = v;
    else if (d.startsWith('custom:')) cohort[`custom.${d.slice('custom:'.length)}`] = v;
    else cohort[d] = v;
  });
  return cohort;
}

const describe = (dimension: string, value: string) => (dimension === 'all' ? 'all views' : `${dimension}=${value}`);

function trim(a: CohortAggregate): WindowFigures {
  return {
    attempts: a.attempts,
    plays: a.plays,
    playback_failures: a.playback_failures,
    ebvs: a.ebvs,
    watch_time_ms: a.watch_time_ms,
    rebuffer_time_ms: a.rebuffer_time_ms,
    concurrent_viewers: a.concurrent_viewers,
    timing: a.timing,
    pane_index: a.pane_index,
    startup_time_ms: { count: a.startup_time_ms.count, median: a.startup_time_ms.median },
  };
}

/**
 * Watches the minute aggregates of one property: a robust baseline per cohort and metric learned
 * from complete windows, a verdict on every pane (early panes included, so an incident shows
 * within seconds) behind a volume guard, persistence before firing, a root-cause search over
 * the window's cohorts when something fires, and one anomaly per cause until it resolves.
 *
 * Deterministic (partition time, no clock): the same aggregates give the same anomalies, so it
 * runs as keyed state of the exactly-once core and replays exactly.
 */
export class CohortDetector {
  private cohorts: Record<string, CohortState> = {};
  private recent: Record<string, Record<string, WindowFigures>> = {};
  private active: Record<string, ActiveAnomaly> = {};
  private pending: PendingTrigger[] = [];

  private constructor(private readonly options: DetectorOptions) {}

  static create(options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS): CohortDetector {
    return new CohortDetector(options);
  }

  static restore(options: DetectorOptions, saved: SavedDetector): CohortDetector {
    if (saved.format !== 'sightline-cohort-detector' || saved.version !== 1) {
      throw new Error(`not a cohort detector state of version 1 (format ${String(saved.format)}, version ${String(saved.version)})`);
    }
    const detector = new CohortDetector(options);
    detector.cohorts = saved.cohorts;
    detector.recent = saved.recent;
    detector.active = saved.active;
    detector.pending = saved.pending ?? [];
    return detector;
  }

  /** The detector's JSON form, which `restore` takes back. */
  save(): SavedDetector {
    return { format: 'sightline-cohort-detector', version: 1, cohorts: this.cohorts, recent: this.recent, active: this.active, pending: this.pending };
  }

  /** Anomalies in progress (for tests and metrics). */
  get activeCount(): number {
    return Object.keys(this.active).length;
  }

  /**
   * Takes one pane of a minute aggregate at partition time `now`; returns the anomalies to publish.
   * The cohorts of a pane come one after the other ('all' first): a cohort that fires waits for
   * the rest of its pane, and the root-cause search runs on the first message of another pane.
   */
  onAggregate(a: CohortAggregate, now: number): Anomaly[] {
    const out = this.flush(a, now);
    if (a.granularity !== 'minute') return out;
    const key = keyOf(a.dimension, a.value);
    const window = String(a.window_start);
    (this.recent[window] ??= {})[key] = trim(a);
    this.prune(a.window_start);
    if (a.value === 'other') return out;
    const cohort = (this.cohorts[key] ??= { baselines: {}, streaks: {}, learned: {} });
    for (const spec of METRICS) {
      if (this.evaluate(a, key, cohort, spec, now) && !this.pending.some((p) => p.metric === spec.name && p.key === key)) {
        this.pending.push({ metric: spec.name, key, property_id: a.property_id, window_start: a.window_start, pane_index: a.pane_index, timing: a.timing });
      }
    }
    this.expire(now);
    return out;
  }

  /** Root-cause searches for the triggers whose pane is complete (a message of another pane came). */
  private flush(a: CohortAggregate, now: number): Anomaly[] {
    const out: Anomaly[] = [];
    const waiting: PendingTrigger[] = [];
    for (const p of this.pending) {
      if (a.granularity === 'minute' && p.window_start === a.window_start && p.pane_index === a.pane_index) {
        waiting.push(p);
        continue;
      }
      const spec = METRICS.find((m) => m.name === p.metric)!;
      const anomaly = this.fire(p, spec, now);
      if (anomaly) out.push(anomaly);
    }
    this.pending = waiting;
    return out;
  }

  /** Judges one metric of a pane; true when it fires (anomalous long enough). */
  private evaluate(a: CohortAggregate, key: string, cohort: CohortState, spec: MetricSpec, now: number): boolean {
    const observed = spec.value(a);
    const volume = spec.volume(a);
    const complete = a.timing !== 'early';
    const baseline = (cohort.baselines[spec.name] ??= emptyBaseline());
    const streak = (cohort.streaks[spec.name] ??= { since: null, count: 0, normalSince: null });
    const expectation = expectationAt(baseline, a.window_start, this.options.baseline);
    let fired = false;
    if (observed !== null && volume >= spec.minVolume && expectation && (complete || !spec.completeOnly)) {
      const z = surprise(spec, observed, expectation, volume);
      const rise = observed - expectation.expected;
      if (z >= this.options.fireZ && rise >= spec.minDelta) {
        streak.since ??= now;
        streak.count++;
        streak.normalSince = null;
        fired = now - streak.since >= this.options.persistMs && streak.count >= 2;
      } else if (z < this.options.normalZ || rise < spec.minDelta / 2) {
        streak.since = null;
        streak.count = 0;
        streak.normalSince ??= now;
      }
      this.trackResolution(key, spec.name, streak, now);
    }
    // Complete windows teach the baseline, once each, and only while the cohort looks normal.
    if (complete && observed !== null && volume >= spec.minVolume && cohort.learned[spec.name] !== a.window_start && streak.since === null) {
      const level = expectation?.expected ?? observed;
      learn(baseline, a.window_start, observed, this.options.baseline, spec.noise(level, volume));
      cohort.learned[spec.name] = a.window_start;
    }
    return fired;
  }

  private trackResolution(key: string, metric: string, streak: Streak, now: number): void {
    for (const [id, active] of Object.entries(this.active)) {
      if (active.key !== key || active.metric !== metric) continue;
      if (streak.since !== null) {
        active.normalSince = null;
        active.lastSeen = now;
      } else {
        active.normalSince ??= now;
        if (now - active.normalSince >= this.options.resolveMs) delete this.active[id];
      }
    }
  }

  /** Anomalies whose cause has not been seen for long (its cohort gone quiet) end too. */
  private expire(now: number): void {
    for (const [id, active] of Object.entries(this.active)) {
      if (now - active.lastSeen >= 5 * this.options.resolveMs) delete this.active[id];
    }
  }

  private prune(windowStart: number): void {
    for (const w of Object.keys(this.recent)) if (Number(w) < windowStart - (RECENT_WINDOWS - 1) * MINUTE_MS) delete this.recent[w];
  }

  /** The cohort's expectation, or the whole property's while the cohort has too little history. */
  private expectationOf(key: string, spec: MetricSpec, windowStart: number): Expectation | undefined {
    const own = this.cohorts[key]?.baselines[spec.name];
    const found = own && expectationAt(own, windowStart, this.options.baseline);
    if (found) return found;
    const all = this.cohorts[keyOf('all', 'all')]?.baselines[spec.name];
    return all && expectationAt(all, windowStart, this.options.baseline);
  }

  /**
   * Every cohort of the given windows against its expectation, the windows pooled (volume-weighted):
   * early in a minute its panes stand on few viewers, so the minute before is counted with it.
   */
  private candidates(spec: MetricSpec, windows: number[]): CauseCandidate[] {
    const pooled = new Map<string, { sum: number; volume: number; expected: number; spread: number }>();
    for (const windowStart of windows) {
      for (const [key, f] of Object.entries(this.recent[String(windowStart)] ?? {})) {
        const aggregate = f as unknown as CohortAggregate;
        const observed = spec.value(aggregate);
        const volume = spec.volume(aggregate);
        const expectation = this.expectationOf(key, spec, windowStart);
        if (observed === null || !expectation || volume <= 0) continue;
        const p = pooled.get(key) ?? { sum: 0, volume: 0, expected: 0, spread: 0 };
        p.sum += observed * volume;
        p.expected = (p.expected * p.volume + expectation.expected * volume) / (p.volume + volume);
        p.spread = Math.max(p.spread, expectation.spread);
        p.volume += volume;
        pooled.set(key, p);
      }
    }
    return [...pooled].map(([key, p]) => {
      const [dimension, value] = splitKey(key);
      const observed = p.sum / p.volume;
      const expectation: Expectation = { expected: p.expected, spread: p.spread, samples: 0, seasonal: false };
      return { dimension, value, volume: p.volume, excess: (observed - p.expected) * p.volume, z: surprise(spec, observed, expectation, p.volume), observed, expected: p.expected };
    });
  }

  private fire(a: PendingTrigger, spec: MetricSpec, now: number): Anomaly | undefined {
    const windows = a.timing === 'early' && this.recent[String(a.window_start - MINUTE_MS)] ? [a.window_start - MINUTE_MS, a.window_start] : [a.window_start];
    const candidates = this.candidates(spec, windows);
    const trigger = candidates.find((c) => keyOf(c.dimension, c.value) === a.key);
    if (!trigger) return undefined;
    const cause = rootCause(candidates, trigger, { minShare: this.options.minShare, minZ: this.options.normalZ + 1, minVolume: spec.minVolume / 2 });
    const causeKey = keyOf(cause.cohort.dimension, cause.cohort.value);
    // One anomaly per cause while it lasts, whatever metrics it degrades: a trigger that an active
    // anomaly's cohort explains, or a cause that is that cohort under another name (the same
    // viewers: a country with one ISP), is that anomaly.
    const causeVolume = (key: string) => candidates.find((c) => keyOf(c.dimension, c.value) === key)?.volume;
    for (const active of Object.values(this.active)) {
      const activeCandidate = candidates.find((c) => keyOf(c.dimension, c.value) === active.key);
      const sameViewers = activeCandidate !== undefined && Math.abs(activeCandidate.volume - (causeVolume(causeKey) ?? -1)) <= 0.02 * activeCandidate.volume;
      const explains = activeCandidate !== undefined && trigger.excess > 0 && activeCandidate.excess >= 0.6 * trigger.excess;
      if (active.key === causeKey || sameViewers || explains) {
        if (active.metric === spec.name) {
          active.lastSeen = now;
          active.normalSince = null;
        }
        return undefined;
      }
    }
    const id = `${COHORT_DETECTOR}:${a.property_id}:${spec.name}:${cause.cohort.dimension}=${cause.cohort.value}:${a.window_start}`;
    this.active[id] = { id, metric: spec.name, key: causeKey, since: now, normalSince: null, lastSeen: now };
    return this.anomaly(a, spec, cause, trigger, id, now, windows);
  }

  private anomaly(a: PendingTrigger, spec: MetricSpec, cause: RootCause, trigger: CauseCandidate, id: string, now: number, windows: number[]): Anomaly {
    const c = cause.cohort;
    const affected = spec.affected(c);
    const severity: Severity = c.z >= this.options.criticalZ && affected >= this.options.criticalViewers ? 'critical' : 'warning';
    const logScale = spec.name === 'startup_time_log_median';
    const shown = (x: number) => (logScale ? Math.exp(x) : x);
    const explains = cause.explainedShare === null ? '' : `; it explains ${Math.round(cause.explainedShare * 100)}% of the rise over all views`;
    return {
      v: 1,
      anomaly_id: id,
      property_id: a.property_id,
      detector: COHORT_DETECTOR,
      metric: logScale ? 'startup_time_median_ms' : spec.name,
      cohort: cohortRecord(c.dimension, c.value),
      observed: shown(c.observed),
      expected: shown(c.expected),
      severity,
      detected_at: now,
      summary: `${spec.name.replace(/_/g, ' ')} ${spec.display(c.observed)} in ${describe(c.dimension, c.value)}, expected ${spec.display(c.expected)} (${c.z.toFixed(1)} sd), ${affected} viewers affected${explains}`,
      window_start: a.window_start,
      viewers_affected: affected,
      probable_cause: {
        dimension: c.dimension,
        value: c.value,
        explained_share: cause.explainedShare,
        summary: cause.summary,
      },
      evidence: {
        view_ids: [],
        details: {
          z: c.z,
          volume: c.volume,
          windows,
          trigger: { dimension: trigger.dimension, value: trigger.value, z: trigger.z },
          share_of_dimension: cause.shareOfDimension,
          alternatives: cause.alternatives,
        },
      },
    };
  }
}
