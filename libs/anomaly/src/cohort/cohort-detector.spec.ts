import type { CohortAggregate } from '@sightline/contracts';
import { DEFAULT_BASELINE_OPTIONS, emptyBaseline, expectationAt, learn } from './baseline';
import { CohortDetector, cohortRecord, DEFAULT_DETECTOR_OPTIONS, type SavedDetector } from './cohort-detector';
import { rootCause, type CauseCandidate } from './root-cause';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);

/** A deterministic pseudo-random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('robust baselines', () => {
  it('follow the level and spread of a noisy series, and one outlier barely moves them', () => {
    const next = random(1);
    const b = emptyBaseline();
    for (let i = 0; i < 300; i++) learn(b, T0 + i * MINUTE, 0.02 + (next() - 0.5) * 0.01);
    const before = expectationAt(b, T0 + 300 * MINUTE)!;
    expect(before.expected).toBeCloseTo(0.02, 2);
    expect(before.spread).toBeGreaterThan(0.001);
    expect(before.spread).toBeLessThan(0.006);
    learn(b, T0 + 301 * MINUTE, 0.9);
    expect(expectationAt(b, T0 + 302 * MINUTE)!.expected).toBeLessThan(0.021);
  });

  it('give no verdict before enough samples', () => {
    const b = emptyBaseline();
    for (let i = 0; i < DEFAULT_BASELINE_OPTIONS.minSamples - 1; i++) learn(b, T0 + i * MINUTE, 0.02);
    expect(expectationAt(b, T0)).toBeUndefined();
    learn(b, T0, 0.02);
    expect(expectationAt(b, T0)).toMatchObject({ expected: 0.02, seasonal: false });
  });

  it('learn a daily rhythm once three days of history exist', () => {
    // Evenings (18-22 h) run at 6% rebuffering, the rest of the day at 1%.
    const b = emptyBaseline();
    const value = (t: number) => (new Date(t).getUTCHours() >= 18 && new Date(t).getUTCHours() < 22 ? 0.06 : 0.01);
    const evening = (day: number) => T0 + day * 86_400_000 + 19 * 3_600_000;
    for (let t = T0; t < T0 + 2 * 86_400_000; t += MINUTE) learn(b, t, value(t));
    // After two days the evening slot is not trusted yet: the overall baseline (mostly 1%) answers.
    expect(expectationAt(b, evening(2))).toMatchObject({ seasonal: false });
    for (let t = T0 + 2 * 86_400_000; t < T0 + 3 * 86_400_000; t += MINUTE) learn(b, t, value(t));
    const expected = expectationAt(b, evening(3))!;
    expect(expected.seasonal).toBe(true);
    expect(expected.expected).toBeCloseTo(0.06, 2);
    expect(expectationAt(b, T0 + 3 * 86_400_000 + 9 * 3_600_000)!.expected).toBeCloseTo(0.01, 2);
  });
});

const candidate = (dimension: string, value: string, volume: number, observed: number, expected: number, z: number): CauseCandidate => ({
  dimension,
  value,
  volume,
  observed,
  expected,
  excess: (observed - expected) * volume,
  z,
});

describe('root-cause search', () => {
  const options = { minShare: 0.6, minZ: 3, minVolume: 10 };

  it('blames the CDN that holds the rise, not the countries and ASNs it spreads over', () => {
    const all = candidate('all', 'all', 300, 0.08, 0.01, 20);
    const cause = rootCause(
      [
        all,
        candidate('cdn', 'fastly', 60, 0.36, 0.01, 25),
        candidate('cdn', 'akamai', 140, 0.011, 0.01, 0.1),
        candidate('cdn', 'cloudfront', 100, 0.012, 0.01, 0.2),
        candidate('country', 'US', 150, 0.08, 0.01, 9),
        candidate('country', 'NO', 150, 0.08, 0.01, 9),
        candidate('asn', '7922', 80, 0.09, 0.01, 7),
        candidate('asn', '2119', 70, 0.08, 0.01, 6),
        candidate('asn', '3320', 150, 0.07, 0.01, 8),
      ],
      all,
      options,
    );
    expect(cause.cohort).toMatchObject({ dimension: 'cdn', value: 'fastly' });
    expect(cause.shareOfDimension).toBeGreaterThan(0.95);
    expect(cause.explainedShare).toBeCloseTo((0.35 * 60) / (0.07 * 300), 5);
  });

  it('prefers the ASN to the country it is in when both hold the rise', () => {
    const all = candidate('all', 'all', 500, 0.05, 0.01, 15);
    const cause = rootCause(
      [
        all,
        candidate('asn', '3320', 50, 0.41, 0.01, 30),
        candidate('asn', '7922', 200, 0.01, 0.01, 0),
        candidate('country', 'DE', 80, 0.26, 0.01, 20),
        candidate('country', 'US', 420, 0.01, 0.01, 0),
        candidate('cdn', 'akamai', 250, 0.05, 0.01, 8),
        candidate('cdn', 'fastly', 250, 0.05, 0.01, 8),
      ],
      all,
      options,
    );
    expect(cause.cohort).toMatchObject({ dimension: 'asn', value: '3320' });
  });

  it('says platform-wide when no cohort concentrates the rise', () => {
    const all = candidate('all', 'all', 400, 0.06, 0.01, 18);
    const cause = rootCause(
      [all, candidate('cdn', 'a', 200, 0.06, 0.01, 9), candidate('cdn', 'b', 200, 0.06, 0.01, 9), candidate('country', 'X', 200, 0.06, 0.01, 9), candidate('country', 'Y', 200, 0.06, 0.01, 9)],
      all,
      options,
    );
    expect(cause.cohort.dimension).toBe('all');
    expect(cause.summary).toMatch(/platform-wide/);
  });

  it('does not blame a cohort too small to judge or not surprising itself', () => {
    const all = candidate('all', 'all', 400, 0.02, 0.01, 5);
    const tiny = candidate('title', 'rare', 4, 1, 0.01, 12);
    expect(rootCause([all, tiny], all, options).cohort.dimension).toBe('all');
  });
});

/** One minute window's pane of a cohort with the given attempts and failures. */
function pane(dimension: string, value: string, window: number, attempts: number, failures: number, timing: CohortAggregate['timing'] = 'on_time', pane_index = 0): CohortAggregate {
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

/**
 * A property with two CDNs (akamai 200 attempts a minute, fastly 100) failing about 1% of the
 * time, for `minutes` minutes; from `incidentAt` fastly fails `incidentRate` of its attempts.
 * Each minute gives early panes every 5 s (the minute so far) and its on-time pane.
 */
function replay(detector: CohortDetector, minutes: number, incidentAt = Infinity, incidentRate = 0.3, seed = 3) {
  const next = random(seed);
  const anomalies: ReturnType<CohortDetector['onAggregate']> = [];
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
        anomalies.push(...detector.onAggregate(p, now));
      }
    }
  }
  return anomalies;
}

describe('the cohort detector', () => {
  it('stays quiet on a normal property', () => {
    expect(replay(CohortDetector.create(), 120)).toEqual([]);
  });

  it('fires once, within the minute, on the CDN that starts failing, and names it', () => {
    const anomalies = replay(CohortDetector.create(), 60, 40);
    expect(anomalies).toHaveLength(1);
    const [a] = anomalies;
    expect(a).toMatchObject({
      metric: 'playback_failure_rate',
      cohort: { cdn: 'fastly' },
      probable_cause: { dimension: 'cdn', value: 'fastly' },
      window_start: T0 + 40 * MINUTE,
      detector: 'cohort-baseline/1',
    });
    expect(a!.detected_at - (T0 + 40 * MINUTE)).toBeLessThan(MINUTE);
    // Early in the minute the cause's figures pool the minute before (1%) with this one (30%).
    expect(a!.observed).toBeGreaterThan(0.08);
    expect(a!.evidence.details).toMatchObject({ windows: [T0 + 39 * MINUTE, T0 + 40 * MINUTE] });
    expect(a!.expected).toBeLessThan(0.03);
    expect(a!.probable_cause!.explained_share).toBeGreaterThan(0.8);
    expect(a!.severity).toBe('critical');
  });

  it('needs the deviation to persist: a single bad pane does not fire', () => {
    const detector = CohortDetector.create();
    replay(detector, 30);
    const w = T0 + 30 * MINUTE;
    expect(detector.onAggregate(pane('cdn', 'fastly', w, 100, 40, 'early', 0), w + 5000)).toEqual([]);
    expect(detector.onAggregate(pane('cdn', 'fastly', w, 100, 1, 'early', 1), w + 10_000)).toEqual([]);
    expect(detector.onAggregate(pane('cdn', 'fastly', w, 100, 40, 'early', 2), w + 60_000)).toEqual([]);
  });

  it('gives no verdict on a cohort with too few attempts', () => {
    const detector = CohortDetector.create();
    replay(detector, 30);
    const w = T0 + 30 * MINUTE;
    const out = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((i) => detector.onAggregate(pane('cdn', 'fastly', w, 20, 15, 'early', i), w + i * 10_000));
    expect(out).toEqual([]);
  });

  it('does not learn the incident into the baseline, and fires again after it resolved and comes back', () => {
    const detector = CohortDetector.create();
    const first = replay(detector, 60, 40);
    expect(first).toHaveLength(1);
    // Ten normal minutes (resolved after two), then fastly fails again.
    const again = replay(detector, 0);
    expect(again).toEqual([]);
    const saved = JSON.parse(JSON.stringify(detector)) as SavedDetector;
    const baseline = saved.cohorts['cdn\u0000fastly']!.baselines['playback_failure_rate']!;
    expect(baseline.overall.m).toBeLessThan(0.03);
  });

  it('restored from its saved form, continues exactly as if it had not stopped', () => {
    const a = CohortDetector.create();
    const b = CohortDetector.create();
    replay(a, 45, 40, 0.3, 9);
    replay(b, 45, 40, 0.3, 9);
    const restored = CohortDetector.restore(DEFAULT_DETECTOR_OPTIONS, JSON.parse(JSON.stringify(b)) as SavedDetector);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(a));
    const w = T0 + 45 * MINUTE;
    expect(restored.onAggregate(pane('cdn', 'fastly', w, 100, 30, 'on_time', 11), w + 150_000)).toEqual(a.onAggregate(pane('cdn', 'fastly', w, 100, 30, 'on_time', 11), w + 150_000));
  });
});

describe('cohort records', () => {
  it('name the dimensions as players and ingest do', () => {
    expect(cohortRecord('all', 'all')).toEqual({});
    expect(cohortRecord('player_version', 'exoplayer media3-1.5.0')).toEqual({ player_name: 'exoplayer', player_version: 'media3-1.5.0' });
    expect(cohortRecord('cdn+asn', 'fastly|3320')).toEqual({ cdn: 'fastly', asn: '3320' });
    expect(cohortRecord('title', 'News 24')).toEqual({ video_title: 'News 24' });
    expect(cohortRecord('custom:tier', 'gold')).toEqual({ 'custom.tier': 'gold' });
  });
});
