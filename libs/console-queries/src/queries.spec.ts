import { DDSketch } from '@datadog/sketches-js';
import type { CohortAggregate } from '@sightline/contracts';
import { saveSketch } from '@sightline/windowing';
import { breakdown, latestWindows, overview, parseRange, previousRange, QueryError, series, Totals } from './index';

const T0 = Date.UTC(2026, 11, 3, 10, 0);
const MIN = 60_000;

function window(start: number, value: string, f: Partial<CohortAggregate> & { startups?: number[]; dimension?: string } = {}): CohortAggregate {
  const sketch = new DDSketch({ relativeAccuracy: 0.01 });
  for (const s of f.startups ?? []) sketch.accept(s);
  const { startups: _s, ...rest } = f;
  return {
    v: 1, property_id: 'p', granularity: 'minute', window_start: start, window_end: start + MIN, dimension: value === 'all' ? 'all' : 'cdn', value, timing: 'on_time', pane_index: 3,
    attempts: 0, plays: 0, ended_plays: 0, concurrent_viewers: 0, ebvs: 0, start_failures: 0, playback_failures: 0,
    ebvs_rate: null, start_failure_rate: null, playback_failure_rate_of_attempts: null, playback_failure_rate_of_ended_plays: null,
    startup_time_ms: { count: f.startups?.length ?? 0, median: null, p95: null, sketch: saveSketch(sketch, 0.01) },
    watch_time_ms: 0, playing_time_ms: 0, rebuffer_time_ms: 0, rebuffer_count: 0, rebuffer_percentage: null, rebuffering_ratio: null, weighted_average_bitrate_bps: null,
    scored_views: 0, score_version: 'sightline-qoe/1', mean_scores: { overall: null, playback_success: null, startup_time: null, smoothness: null, video_quality: null }, overall_score_distribution: Array(10).fill(0),
    ...rest,
  };
}

const range = { from: T0, to: T0 + 3 * MIN, granularity: 'minute' as const };

describe('totals of windows', () => {
  it('sums counts, merges startup sketches, weights bitrate by playing time and scores by scored views, peaks concurrency', () => {
    const t = new Totals()
      .add(window(T0, 'all', { plays: 2, attempts: 3, concurrent_viewers: 5, startups: [100, 300], watch_time_ms: 1000, rebuffer_time_ms: 100, playing_time_ms: 900, weighted_average_bitrate_bps: 1e6, scored_views: 1, mean_scores: { overall: 80, playback_success: 100, startup_time: 90, smoothness: 70, video_quality: 60 } }))
      .add(window(T0 + MIN, 'all', { plays: 1, attempts: 1, concurrent_viewers: 4, startups: [200], watch_time_ms: 1000, playing_time_ms: 100, weighted_average_bitrate_bps: 2e6, scored_views: 3, mean_scores: { overall: 40, playback_success: 100, startup_time: 50, smoothness: 50, video_quality: 50 } }));
    const f = t.figures();
    expect(f).toMatchObject({ plays: 3, attempts: 4, concurrent_viewers: 5, rebuffer_percentage: 0.05, rebuffering_ratio: 100 / 1100, mean_overall_score: 50 });
    expect(f.weighted_average_bitrate_bps).toBeCloseTo(1.1e6, 6);
    expect(Math.abs(f.startup_time_median_ms! - 200)).toBeLessThanOrEqual(2);
  });

  it('keeps the latest pane of each window, and drops a cohort the latest pane folded away', () => {
    const panes = [window(T0, 'akamai', { pane_index: 1, plays: 1 }), window(T0, 'akamai', { pane_index: 2, plays: 2 }), window(T0, 'fastly', { pane_index: 1, plays: 1 }), window(T0, 'other', { pane_index: 2, plays: 1 })];
    expect(latestWindows(panes).map((w) => [w.value, w.plays])).toEqual([['akamai', 2], ['other', 1]]);
  });
});

describe('queries', () => {
  const cdn = [
    window(T0, 'akamai', { plays: 5, concurrent_viewers: 5 }),
    window(T0, 'fastly', { plays: 3, concurrent_viewers: 3 }),
    window(T0 + MIN, 'fastly', { plays: 4, concurrent_viewers: 4 }),
    window(T0, 'level3', { plays: 1, concurrent_viewers: 1 }),
    window(T0 + 2 * MIN, 'other', { plays: 2, concurrent_viewers: 2, values_folded: 3 }),
  ];

  it('ranks the top N, folds the rest and the scorer\'s other into other, and adds up to the total', () => {
    const b = breakdown(cdn, range, { metric: 'plays', order: 'desc', limit: 2, });
    expect(b.rows.map((r) => [r.value, r.figures.plays])).toEqual([['fastly', 7], ['akamai', 5]]);
    expect(b.rows[0]!.spark).toEqual([3, 4, 0]);
    expect(b.other).toMatchObject({ value: 'other', figures: { plays: 3 }, values_folded: 4 });
    expect(b.total.figures).toMatchObject({ plays: 15, concurrent_viewers: 9 });
    expect(breakdown(cdn, range, { metric: 'plays', order: 'asc', limit: 1 }).rows.map((r) => r.value)).toEqual(['level3']);
  });

  it('filters a combination by one part and names the rows by the other', () => {
    const combo = [window(T0, 'akamai|NO', { dimension: 'cdn+country', plays: 2 }), window(T0, 'akamai|SE', { dimension: 'cdn+country', plays: 5 }), window(T0, 'fastly|NO', { dimension: 'cdn+country', plays: 1 })];
    const b = breakdown(combo, range, { metric: 'plays', order: 'desc', limit: 10, combination: { keep: 0, match: { index: 1, value: 'NO' } } });
    expect(b.rows.map((r) => [r.value, r.figures.plays])).toEqual([['akamai', 2], ['fastly', 1]]);
    expect(b.total.figures.plays).toBe(3);
  });

  it('gives every window of a series, 0 for counts and null for rates where nothing happened', () => {
    const all = [window(T0, 'all', { plays: 2, watch_time_ms: 10, rebuffer_time_ms: 1 })];
    expect(series(all, range, 'plays')).toEqual([{ t: T0, value: 2 }, { t: T0 + MIN, value: 0 }, { t: T0 + 2 * MIN, value: 0 }]);
    expect(series(all, range, 'rebuffer_percentage').map((p) => p.value)).toEqual([0.1, null, null]);
  });

  it('sets a range beside the period before it, with the change of each tile', () => {
    const previous = previousRange(range);
    const o = overview([window(T0 - MIN, 'all', { plays: 2 }), window(T0, 'all', { plays: 3 })], range, previous);
    expect(o.tiles.find((t) => t.metric === 'plays')).toEqual({ metric: 'plays', value: 3, previous: 2, change: 0.5 });
  });
});

describe('parseRange', () => {
  const now = T0 + 30 * MIN + 5000;
  it('defaults to the last hour of whole minutes, and picks hours for long spans', () => {
    expect(parseRange({}, now)).toEqual({ from: T0 - 29 * MIN, to: T0 + 31 * MIN, granularity: 'minute' });
    expect(parseRange({ from: String(now - 12 * 3_600_000) }, now).granularity).toBe('hour');
    expect(parseRange({ from: '2026-12-03T09:00:00Z', to: '2026-12-03T10:00:00.000Z' }, now)).toMatchObject({ from: T0 - 60 * MIN, to: T0 });
  });

  it.each([
    [{ from: 'soon' }, 'INVALID_RANGE'],
    [{ from: String(now), to: String(now - 1) }, 'INVALID_RANGE'],
    [{ to: String(now + 3_600_000) }, 'INVALID_RANGE'],
    [{ granularity: 'day' }, 'INVALID_PARAMETER'],
    [{ from: String(now - 25 * 3_600_000), granularity: 'minute' }, 'RANGE_TOO_WIDE'],
    [{ from: String(now - 40 * 24 * 3_600_000) }, 'RANGE_TOO_WIDE'],
  ])('refuses %j with %s', (query, code) => {
    expect(() => parseRange(query, now)).toThrow(expect.objectContaining({ code }));
    expect(() => parseRange(query, now)).toThrow(QueryError);
  });
});
