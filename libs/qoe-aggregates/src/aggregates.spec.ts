import fc from 'fast-check';
import { CohortAggregateSchema, compileValidator, ViewActivitySchema, type CohortAggregate, type ViewActivity } from '@sightline/contracts';
import { scoresOf } from '@sightline/qoe-score';
import { activityOf, type ActivityCursor } from './activity';
import { aggregatorCodec } from './aggregator-step';
import { CohortAggregator, DEFAULT_AGGREGATOR_OPTIONS, type AggregatorOptions, type SavedAggregator } from './cohort-aggregator';
import { cohortsOf } from './cohorts';
import { arrivals, SCRIPTED_FLEET, snapshotsOf, T0 } from './scripted-fleet.fixture';

const options = (overrides: Partial<AggregatorOptions> = {}): AggregatorOptions => ({ ...DEFAULT_AGGREGATOR_OPTIONS, ...overrides });

/** Runs the scripted fleet through activityOf and an aggregator; returns every pane published. */
function run(opts: AggregatorOptions): { panes: CohortAggregate[]; late: ViewActivity[] } {
  const aggregator = CohortAggregator.create(opts);
  const cursors = new Map<string, ActivityCursor>();
  const panes: CohortAggregate[] = [];
  const late: ViewActivity[] = [];
  let now = 0;
  for (const arrival of arrivals()) {
    now = arrival.now;
    const { activity, cursor } = activityOf(cursors.get(arrival.snapshot.view_id), arrival.snapshot);
    cursors.set(arrival.snapshot.view_id, cursor);
    if (!activity) continue;
    const out = aggregator.add(activity, now);
    panes.push(...out.aggregates);
    late.push(...out.late);
  }
  // Quiet afterwards: partition time moves on (ticks) until every window has closed and been freed.
  for (let t = now + 1000; aggregator.openWindows > 0; t += 1000) panes.push(...aggregator.advance(t));
  return { panes, late };
}

/** The last pane of each window and cohort: what a subscriber keeps. */
function latest(panes: CohortAggregate[]): Map<string, CohortAggregate> {
  const out = new Map<string, CohortAggregate>();
  for (const p of panes) {
    const key = `${p.granularity}|${p.window_start}|${p.dimension}|${p.value}`;
    const seen = out.get(key);
    if (!seen || p.pane_index > seen.pane_index) out.set(key, p);
  }
  return out;
}

const get = (m: Map<string, CohortAggregate>, granularity: string, start: number, dimension: string, value: string): CohortAggregate => {
  const found = m.get(`${granularity}|${start}|${dimension}|${value}`);
  if (!found) throw new Error(`no aggregate for ${granularity} ${start} ${dimension}=${value}; have ${[...m.keys()].join(', ')}`);
  return found;
};

const HOUR = Math.floor(T0 / 3_600_000) * 3_600_000;

describe('activity of a view', () => {
  it('sums, over any set of snapshots, to the growth of the cumulative metrics', () => {
    const snapshots = snapshotsOf(SCRIPTED_FLEET[0]!);
    let cursor: ActivityCursor | undefined;
    const activities: ViewActivity[] = [];
    for (const s of snapshots) {
      const r = activityOf(cursor, s);
      cursor = r.cursor;
      if (r.activity) activities.push(r.activity);
    }
    const total = (f: (a: ViewActivity) => number) => activities.reduce((n, a) => n + f(a), 0);
    expect(total((a) => a.watch_ms)).toBe(60_000);
    expect(total((a) => a.playing_ms)).toBe(55_000);
    expect(total((a) => a.rebuffer_ms)).toBe(3000);
    expect(total((a) => a.attempt)).toBe(1);
    expect(total((a) => a.play)).toBe(1);
    expect(total((a) => a.ended)).toBe(1);
    expect(activities.find((a) => a.play)!.startup_time_ms).toBe(2000);
    expect(activities.find((a) => a.ended)!.scores).toEqual({ ...scoresOf(snapshots[4]!), score_version: 'sightline-qoe/1' });
  });

  it('gives activities and aggregates that pass their published schemas', () => {
    const activities = compileValidator(ViewActivitySchema);
    const aggregates = compileValidator(CohortAggregateSchema);
    const cursors = new Map<string, ActivityCursor>();
    for (const { snapshot } of arrivals()) {
      const { activity, cursor } = activityOf(cursors.get(snapshot.view_id), snapshot);
      cursors.set(snapshot.view_id, cursor);
      if (activity) expect(activities.validate(activity)).toMatchObject({ ok: true });
    }
    for (const pane of run(options()).panes) expect(aggregates.validate(pane)).toMatchObject({ ok: true });
  });

  it('ignores a snapshot it has seen or an older one, and never goes backwards', () => {
    const [s1, s2, s3] = snapshotsOf(SCRIPTED_FLEET[0]!);
    const after3 = activityOf(activityOf(activityOf(undefined, s1!).cursor, s2!).cursor, s3!).cursor;
    expect(activityOf(after3, s2!)).toEqual({ activity: null, cursor: after3 });
    expect(activityOf(after3, s3!).activity).toBeNull();
    // A lower value in a newer snapshot (a corrected metric) adds nothing: high-water marks.
    const lower = { ...s3!, revision: 9, metrics: { ...s3!.metrics, watch_time_ms: 1000 } };
    expect(activityOf(after3, lower).activity).toBeNull();
  });

  it('counts a viewer once per minute as concurrent, and only while playing or rebuffering', () => {
    const [s1, s2, s3, s4] = snapshotsOf(SCRIPTED_FLEET[0]!);
    let cursor: ActivityCursor | undefined;
    const flags = [s1!, s2!, s3!, s4!].map((s) => {
      const r = activityOf(cursor, s);
      cursor = r.cursor;
      return r.activity?.concurrent;
    });
    expect(flags).toEqual([1 - 1, 1, 0, 1]);
  });
});

describe('aggregates of the scripted fleet, against hand-computed values', () => {
  const { panes, late } = run(options());
  const final = latest(panes);

  it('minute 0, all views', () => {
    const m0 = get(final, 'minute', T0, 'all', 'all');
    expect(m0).toMatchObject({
      timing: 'on_time',
      attempts: 3,
      plays: 2,
      ended_plays: 1,
      ebvs: 1,
      concurrent_viewers: 1,
      start_failures: 0,
      playback_failures: 0,
      watch_time_ms: 45_000 + 4000 + 5000,
      playing_time_ms: 40_000,
      rebuffer_time_ms: 3000,
      rebuffer_count: 1,
      weighted_average_bitrate_bps: 3_000_000,
      scored_views: 1,
    });
    expect(m0.ebvs_rate).toBeCloseTo(1 / 3, 12);
    expect(m0.rebuffer_percentage).toBeCloseTo(3000 / 54_000, 12);
    expect(m0.rebuffering_ratio).toBeCloseTo(3000 / 43_000, 12);
    expect(m0.playback_failure_rate_of_ended_plays).toBe(0);
    expect(m0.startup_time_ms.count).toBe(2);
    // A sketch's q-quantile is the value of rank floor(q x (n - 1)), within 1%: of {2000, 6000}, 2000 for both.
    expect(Math.abs(m0.startup_time_ms.median! - 2000)).toBeLessThanOrEqual(20);
    expect(Math.abs(m0.startup_time_ms.p95! - 2000)).toBeLessThanOrEqual(20);
    // B, an exit before start: playback success 50, overall 50.
    expect(m0.mean_scores.overall).toBe(50);
    expect(m0.overall_score_distribution).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('minute 1, all views', () => {
    const m1 = get(final, 'minute', T0 + 60_000, 'all', 'all');
    const scoreA = scoresOf(snapshotsOf(SCRIPTED_FLEET[0]!)[4]!).overall!;
    expect(m1).toMatchObject({
      attempts: 0,
      plays: 0,
      ended_plays: 2,
      concurrent_viewers: 2,
      playback_failures: 1,
      watch_time_ms: 15_000 + 35_000,
      playing_time_ms: 15_000 + 30_000,
      rebuffer_time_ms: 0,
      ebvs_rate: null,
      playback_failure_rate_of_attempts: null,
      playback_failure_rate_of_ended_plays: 0.5,
      scored_views: 2,
    });
    expect(m1.weighted_average_bitrate_bps).toBeCloseTo((3_000_000 * 15_000 + 1_000_000 * 30_000) / 45_000, 6);
    expect(m1.mean_scores.overall).toBeCloseTo(scoreA / 2, 10);
    expect(m1.overall_score_distribution[0]).toBe(1);
    expect(m1.startup_time_ms).toMatchObject({ count: 0, median: null, p95: null });
  });

  it('cohorts by CDN, country and a combination add up to all', () => {
    expect(get(final, 'minute', T0, 'cdn', 'a')).toMatchObject({ attempts: 2, plays: 2, ebvs: 0, concurrent_viewers: 1 });
    expect(get(final, 'minute', T0, 'cdn', 'b')).toMatchObject({ attempts: 1, plays: 0, ebvs: 1, ended_plays: 1 });
    expect(get(final, 'minute', T0 + 60_000, 'country', 'US')).toMatchObject({ ended_plays: 1, playback_failures: 1, concurrent_viewers: 1 });
    expect(get(final, 'minute', T0, 'cdn+country', 'a|US')).toMatchObject({ attempts: 1, plays: 1 });
    expect(get(final, 'minute', T0, 'asn', '7922')).toMatchObject({ attempts: 2 });
    expect(get(final, 'minute', T0, 'player_version', 'hls.js 1.5.0')).toMatchObject({ attempts: 1 });
    expect(get(final, 'minute', T0, 'player_version', 'unknown')).toMatchObject({ attempts: 2 });
    expect(get(final, 'minute', T0, 'stream_type', 'live')).toMatchObject({ attempts: 1 });
    for (const dimension of ['cdn', 'country', 'device_type', 'title', 'os']) {
      const cohorts = [...final.values()].filter((a) => a.granularity === 'minute' && a.window_start === T0 && a.dimension === dimension);
      expect(cohorts.reduce((n, a) => n + a.attempts, 0)).toBe(3);
    }
  });

  it('the hour rolls the minutes up, with the peak of concurrent viewers', () => {
    expect(get(final, 'hour', HOUR, 'all', 'all')).toMatchObject({
      attempts: 3,
      plays: 2,
      ended_plays: 3,
      concurrent_viewers: 2,
      watch_time_ms: 104_000,
      playback_failures: 1,
      scored_views: 3,
    });
  });

  it('early panes come while a window is open, then one on-time pane; nothing is late', () => {
    const m0 = panes.filter((p) => p.granularity === 'minute' && p.window_start === T0 && p.dimension === 'all');
    expect(m0.filter((p) => p.timing === 'early').length).toBeGreaterThan(0);
    expect(m0.filter((p) => p.timing === 'on_time')).toHaveLength(1);
    expect(m0.map((p) => p.pane_index)).toEqual(m0.map((_, i) => i));
    expect(late).toEqual([]);
  });

  it('a short watermark delay turns the silence completion into a late pane with the same final figures', () => {
    const short = run(options({ watermarkDelayMs: 5000 }));
    const m0 = short.panes.filter((p) => p.granularity === 'minute' && p.window_start === T0 && p.dimension === 'all');
    expect(m0.at(-1)!.timing).toBe('late');
    expect(latest(short.panes).get(`minute|${T0}|all|all`)).toEqual({ ...get(final, 'minute', T0, 'all', 'all'), timing: 'late', pane_index: m0.at(-1)!.pane_index });
  });

  it('past the allowed lateness, the activity is returned as late and counted nowhere', () => {
    const short = run(options({ watermarkDelayMs: 1000, allowedLatenessMs: 0 }));
    expect(short.late.map((a) => [a.view_id, a.ebvs])).toEqual([['B', 1]]);
    expect(latest(short.panes).get(`minute|${T0}|all|all`)).toMatchObject({ ebvs: 0, ended_plays: 0 });
  });

  it('top N per dimension, the rest folded into "other"', () => {
    const bounded = latest(run(options({ topN: 1, maxTrackedValues: 1 })).panes);
    expect(get(bounded, 'minute', T0, 'cdn', 'a')).toMatchObject({ attempts: 2 });
    expect(get(bounded, 'minute', T0, 'cdn', 'other')).toMatchObject({ attempts: 1, ebvs: 1 });
    expect(bounded.has(`minute|${T0}|cdn|b`)).toBe(false);
    const titles = [...bounded.values()].filter((a) => a.window_start === T0 && a.granularity === 'minute' && a.dimension === 'title');
    expect(titles.map((a) => a.value).sort()).toEqual(['Nature', 'other']);
  });
});

describe('properties', () => {
  it('never share a cohort: each has its own "all", its own values and its own top N', () => {
    const aggregator = CohortAggregator.create(options({ topN: 1, watermarkDelayMs: 0 }));
    const activity = (property: string, cdn: string, i: number): ViewActivity => ({
      v: 1, view_id: `${property}-${i}`, property_id: property, revision: 1, at: T0 + i, context: { cdn }, attempt: 1, play: 0, startup_time_ms: null,
      start_failure: 0, playback_failure: 0, ended: 0, ebvs: 0, concurrent: 0, watch_ms: 0, playing_ms: 0, rebuffer_ms: 0, rebuffer_count: 0, bitrate_ms: 0, bitrate_weight_ms: 0,
    });
    const panes = [
      ...aggregator.add(activity('shop', 'a', 1), T0 + 1).aggregates,
      ...aggregator.add(activity('shop', 'a', 2), T0 + 2).aggregates,
      ...aggregator.add(activity('tv', 'b', 3), T0 + 3).aggregates,
      ...aggregator.add(activity('tv', 'a', 4), T0 + 4).aggregates,
      ...aggregator.add(activity('tv', 'b', 5), T0 + 5).aggregates,
      ...aggregator.advance(T0 + 120_000),
    ];
    const minute = panes.filter((p) => p.granularity === 'minute' && p.timing === 'on_time').map((p) => [p.property_id, p.dimension, p.value, p.attempts]);
    expect(minute.filter(([, d]) => d === 'all' || d === 'cdn')).toEqual([
      ['shop', 'all', 'all', 2],
      ['shop', 'cdn', 'a', 2],
      ['tv', 'all', 'all', 3],
      ['tv', 'cdn', 'b', 2],
      ['tv', 'cdn', 'other', 1],
    ]);
  });
});

describe('cohorts', () => {
  it('reads every built-in dimension, custom ones when asked, and the combinations', () => {
    const cohorts = cohortsOf(
      { context: { cdn: 'akamai', player_name: 'shaka', player_version: '4.3', custom: { tier: 'gold', exp: 'b' } }, client: { country: 'DE', region: 'Bavaria', asn: 3320, os: 'Linux' } },
      { combinations: ['cdn+country'], customDimensions: ['tier'] },
    );
    expect(cohorts).toEqual([
      ['all', 'all'],
      ['cdn', 'akamai'],
      ['asn', '3320'],
      ['country', 'DE'],
      ['region', 'DE/Bavaria'],
      ['device_type', 'unknown'],
      ['os', 'Linux'],
      ['browser', 'unknown'],
      ['player', 'shaka'],
      ['player_version', 'shaka 4.3'],
      ['title', 'unknown'],
      ['stream_type', 'unknown'],
      ['custom:tier', 'gold'],
      ['cdn+country', 'akamai|DE'],
    ]);
  });
});

describe('startup-time percentiles from merged sketches', () => {
  it('are within the stated 1% of the exact values, for every cohort and for all', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 50, max: 60_000 }), fc.constantFrom('a', 'b', 'c', 'd')), { minLength: 1, maxLength: 400 }), (views) => {
        const aggregator = CohortAggregator.create(options({ watermarkDelayMs: 0 }));
        const out: CohortAggregate[] = [];
        views.forEach(([startup, cdn], i) => {
          const activity: ViewActivity = {
            v: 1, view_id: `v${i}`, property_id: 'p', revision: 2, at: T0 + i, context: { cdn }, attempt: 1, play: 1, startup_time_ms: startup,
            start_failure: 0, playback_failure: 0, ended: 0, ebvs: 0, concurrent: 0, watch_ms: startup, playing_ms: 0, rebuffer_ms: 0, rebuffer_count: 0, bitrate_ms: 0, bitrate_weight_ms: 0,
          };
          out.push(...aggregator.add(activity, T0 + i).aggregates);
        });
        out.push(...aggregator.advance(T0 + 120_000));
        const final = latest(out);
        const exact = (values: number[], q: number) => [...values].sort((x, y) => x - y)[Math.floor(q * (values.length - 1))]!;
        const check = (dimension: string, value: string, values: number[]) => {
          const figures = get(final, 'minute', T0, dimension, value).startup_time_ms;
          expect(figures.count).toBe(values.length);
          for (const [q, got] of [[0.5, figures.median], [0.95, figures.p95]] as const) {
            const want = exact(values, q);
            expect(Math.abs(got! - want)).toBeLessThanOrEqual(want * 0.01 + 1e-9);
          }
        };
        check('all', 'all', views.map(([s]) => s));
        for (const cdn of new Set(views.map(([, c]) => c))) check('cdn', cdn, views.filter(([, c]) => c === cdn).map(([s]) => s));
      }),
      { numRuns: 60 },
    );
  });
});

describe('restoring the aggregator', () => {
  it('from its saved form at any point gives exactly the output of not stopping', () => {
    const reference = run(options({ watermarkDelayMs: 5000 })).panes;
    const stream = arrivals();
    const codec = aggregatorCodec(options({ watermarkDelayMs: 5000 }));
    const restarted = (aggregator: CohortAggregator) => codec.restore(JSON.parse(JSON.stringify(codec.save(aggregator))));
    for (let cut = 0; cut <= stream.length; cut++) {
      let aggregator = CohortAggregator.create(options({ watermarkDelayMs: 5000 }));
      const cursors = new Map<string, ActivityCursor>();
      const panes: CohortAggregate[] = [];
      let now = 0;
      stream.forEach((arrival, i) => {
        if (i === cut) aggregator = restarted(aggregator);
        now = arrival.now;
        const { activity, cursor } = activityOf(cursors.get(arrival.snapshot.view_id), arrival.snapshot);
        cursors.set(arrival.snapshot.view_id, cursor);
        if (activity) panes.push(...aggregator.add(activity, now).aggregates);
      });
      if (cut === stream.length) aggregator = restarted(aggregator);
      for (let t = now + 1000; aggregator.openWindows > 0; t += 1000) panes.push(...aggregator.advance(t));
      expect(panes).toEqual(reference);
    }
  });

  it('from a version 1 state (newest activity time and last input time) gives the output of not stopping', () => {
    const opts = options({ watermarkDelayMs: 5000 });
    const reference = run(opts).panes;
    const stream = arrivals();
    const cut = Math.floor(stream.length / 2);
    let aggregator = CohortAggregator.create(opts);
    const cursors = new Map<string, ActivityCursor>();
    const panes: CohortAggregate[] = [];
    let maxAt = 0;
    let lastInputAt = 0;
    let now = 0;
    stream.forEach((arrival, i) => {
      if (i === cut) {
        const { minute, hour } = JSON.parse(JSON.stringify(aggregator.save())) as SavedAggregator;
        aggregator = CohortAggregator.restore(opts, { format: 'sightline-cohort-aggregator', version: 1, maxAt, lastInputAt, minute, hour });
      }
      now = arrival.now;
      const { activity, cursor } = activityOf(cursors.get(arrival.snapshot.view_id), arrival.snapshot);
      cursors.set(arrival.snapshot.view_id, cursor);
      if (!activity) return;
      panes.push(...aggregator.add(activity, now).aggregates);
      maxAt = Math.max(maxAt, activity.at);
      lastInputAt = now;
    });
    for (let t = now + 1000; aggregator.openWindows > 0; t += 1000) panes.push(...aggregator.advance(t));
    expect(panes).toEqual(reference);
  });

  it('refuses a state of another format with the reason', () => {
    expect(() => CohortAggregator.restore(options(), { format: 'x', version: 1 } as unknown as SavedAggregator)).toThrow(/not a cohort aggregator state/);
  });
});
