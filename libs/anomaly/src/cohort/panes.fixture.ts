import type { CohortAggregate } from '@sightline/contracts';

export const MINUTE = 60_000;
export const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);

/** A deterministic pseudo-random stream (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One minute window's pane of a cohort with the given attempts and failures. */
export function pane(dimension: string, value: string, window: number, attempts: number, failures: number, timing: CohortAggregate['timing'] = 'on_time', pane_index = 0): CohortAggregate {
  return {
    v: 1,
    property_id: 'shop',
    granularity: 'minute',
    window_start: window,
    window_end: window + MINUTE,
    dimension,
    value,
    timing,
    pane_index,
    attempts,
    plays: attempts - failures,
    ended_plays: attempts,
    concurrent_viewers: attempts,
    ebvs: 0,
    start_failures: 0,
    playback_failures: failures,
    ebvs_rate: 0,
    start_failure_rate: 0,
    playback_failure_rate_of_attempts: failures / attempts,
    playback_failure_rate_of_ended_plays: failures / attempts,
    startup_time_ms: { count: 0, median: null, p95: null, sketch: '' },
    watch_time_ms: attempts * 60_000,
    playing_time_ms: attempts * 60_000,
    rebuffer_time_ms: 0,
    rebuffer_count: 0,
    rebuffer_percentage: 0,
    rebuffering_ratio: 0,
    weighted_average_bitrate_bps: null,
    scored_views: 0,
    score_version: 'sightline-qoe/1',
    mean_scores: { overall: null, playback_success: null, startup_time: null, smoothness: null, video_quality: null },
    overall_score_distribution: new Array<number>(10).fill(0),
  };
}

/** A pane and the partition time at which the detector reads it. */
export interface TimedPane {
  readonly pane: CohortAggregate;
  readonly now: number;
}

/**
 * A property with two CDNs (akamai 200 attempts a minute, fastly 100) failing about 1% of the
 * time, for `minutes` minutes; from `incidentAt` fastly fails `incidentRate` of its attempts.
 * Each minute gives early panes every 5 s (the minute so far) and its on-time pane.
 */
export function twoCdnPanes(minutes: number, incidentAt = Infinity, incidentRate = 0.3, seed = 3): TimedPane[] {
  const next = random(seed);
  const panes: TimedPane[] = [];
  const binomial = (n: number, p: number) => Array.from({ length: n }, () => (next() < p ? 1 : 0) as number).reduce((s, x) => s + x, 0);
  for (let m = 0; m < minutes; m++) {
    const w = T0 + m * MINUTE;
    const fastlyRate = m >= incidentAt ? incidentRate : 0.01;
    const akamai = binomial(200, 0.01);
    const fastly = binomial(100, fastlyRate);
    for (let step = 1; step <= 12; step++) {
      const f = step / 12;
      const timing = step === 12 ? 'on_time' : 'early';
      const now = w + step * 5000 + (step === 12 ? 90_000 : 0);
      const a = Math.round(200 * f);
      const fa = Math.round(akamai * f);
      const b = Math.round(100 * f);
      const fb = Math.round(fastly * f);
      for (const p of [pane('all', 'all', w, a + b, fa + fb, timing, step - 1), pane('cdn', 'akamai', w, a, fa, timing, step - 1), pane('cdn', 'fastly', w, b, fb, timing, step - 1)]) {
        panes.push({ pane: p, now });
      }
    }
  }
  return panes;
}
