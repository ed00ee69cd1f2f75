import { DEFAULT_BASELINE_OPTIONS, emptyBaseline, expectationAt, learn } from './baseline';
import { CohortDetector, cohortRecord, DEFAULT_DETECTOR_OPTIONS, type SavedDetector } from './cohort-detector';
import { MINUTE, pane, random, T0, twoCdnPanes } from './panes.fixture';
import { rootCause, type CauseCandidate } from './root-cause';

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

/** The two-CDN property of `twoCdnPanes`, fed to `detector`; the anomalies it published. */
function replay(detector: CohortDetector, minutes: number, incidentAt = Infinity, incidentRate = 0.3, seed = 3) {
  return twoCdnPanes(minutes, incidentAt, incidentRate, seed).flatMap(({ pane: p, now }) => detector.onAggregate(p, now));
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
    const saved = JSON.parse(JSON.stringify(detector.save())) as SavedDetector;
    const baseline = saved.cohorts['cdn\u0000fastly']!.baselines['playback_failure_rate']!;
    expect(baseline.overall.m).toBeLessThan(0.03);
  });

  it('restored from its saved form, continues exactly as if it had not stopped', () => {
    const a = CohortDetector.create();
    const b = CohortDetector.create();
    replay(a, 45, 40, 0.3, 9);
    replay(b, 45, 40, 0.3, 9);
    const restored = CohortDetector.restore(DEFAULT_DETECTOR_OPTIONS, JSON.parse(JSON.stringify(b.save())) as SavedDetector);
    expect(JSON.stringify(restored.save())).toBe(JSON.stringify(a.save()));
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
