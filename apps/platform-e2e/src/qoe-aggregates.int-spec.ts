import { streams, type CohortAggregate, type ScoredView, type ViewSnapshot } from '@sightline/contracts';
import { batchAggregates as batch, BATCH_DIMENSIONS as DIMENSIONS } from '@sightline/test-support';
import { FleetRunner, loadTraces, parseScenario } from '@sightline/simulator';
import { startPlatform, type TestPlatform } from './fixtures/platform';
import { readFiltered, readStream } from './fixtures/streams';

describe('per-minute cohort aggregates of a simulated fleet', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform('aggr', {
      SIGHTLINE_TICK_INTERVAL_MS: '200',
      INGEST_PROPERTY_KEYS: 'agg-key=agg',
      INGEST_TRUSTED_PROXIES: '127.0.0.1',
      SESSIONIZER_COMPLETION_SILENCE_MS: '3000',
      SCORER_WATERMARK_DELAY_MS: '8000',
      SCORER_IDLE_AFTER_MS: '2000',
      SCORER_EARLY_PANE_MS: '500',
      SCORER_TOP_N: '1000',
    });
  }, 60_000);

  afterAll(() => platform?.stop());

  it('equal, on the aggregate subjects, a batch computation over the same views', async () => {
    const scenario = parseScenario({
      name: 'aggregates-e2e',
      seed: 5,
      viewers: 30,
      duration_s: 62,
      ramp_s: 5,
      watch_median_s: 20,
      incidents: [
        { id: 'slow', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: 10, end_s: 50, intensity: 0.8 },
        { id: 'bad-exo', kind: 'player_version_failing', cohort: { player_version: 'media3-1.5.0' }, start_s: 0, end_s: 65, intensity: 0.5 },
      ],
    });
    const { conn, namespace } = platform;
    const topology = streams({ namespace, partitions: 4 });

    const fleet = new FleetRunner({ ingestUrl: platform.ingestUrl, key: 'agg-key', scenario, traces: loadTraces() });
    // Stop after 62 s, so the fleet spans at least one minute boundary; views still playing are cut short.
    const running = fleet.start();
    const stopAt = setTimeout(() => fleet.stop(), 62_000);
    const stats = await running;
    clearTimeout(stopAt);
    expect(stats.beaconsDropped).toBe(0);
    expect(stats.beaconsAccepted).toBeGreaterThan(0);

    // Every view that reached the sessionizer completes (3 s of silence), then the aggregates stop changing.
    const viewCounts = async () => {
      const all = await readStream<ViewSnapshot>(conn, topology.views.name);
      return { views: new Set(all.map((v) => v.view_id)).size, completed: new Set(all.filter((v) => v.status === 'completed').map((v) => v.view_id)).size };
    };
    let counts = await viewCounts();
    for (const deadline = Date.now() + 60_000; counts.completed < counts.views && Date.now() < deadline; counts = await viewCounts()) await new Promise((r) => setTimeout(r, 1000));
    expect(counts.completed).toBe(counts.views);
    const views = counts.views;
    expect(views).toBeGreaterThan(30);
    let last = -1;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const seq = (await conn.streamState(topology.aggregates.name)).lastSeq;
      if (seq === last) break;
      last = seq;
      await new Promise((r) => setTimeout(r, 3000));
    }

    const snapshots = await readStream<ViewSnapshot>(conn, topology.views.name);
    const scores = await readStream<ScoredView>(conn, topology.scores.name, (s) => s.includes('.final.'));
    const expected = batch(snapshots, new Map(scores.map((s) => [`${s.view_id}:${s.revision}`, s])));
    const stored = await readStream<CohortAggregate>(conn, topology.aggregates.name, (s) => s.includes('.minute.'));
    // A downstream team subscribes to one cohort by subject: the server filters, the panes are that cohort's.
    const cohort = stored.find((a) => a.dimension === 'cdn')!;
    const mine = stored.filter((a) => a.dimension === 'cdn' && a.value === cohort.value);
    const filtered = await readFiltered(conn, topology.aggregates.name, `${namespace}.v1.aggregates.minute.agg.cdn.${cohort.value}`);
    // Read as many as the whole-stream read found: panes published since then are not part of the comparison.
    const seen = filtered.slice(0, mine.length).map((m) => m.json<CohortAggregate>());
    expect(seen).toEqual(mine);
    const latest = new Map<string, CohortAggregate>();
    for (const a of stored) {
      const key = `${a.window_start}|${a.dimension}|${a.value}`;
      if ((latest.get(key)?.pane_index ?? -1) < a.pane_index) latest.set(key, a);
    }

    const minutes = new Set([...expected.keys()].map((k) => k.split('|')[0]));
    expect(minutes.size).toBeGreaterThanOrEqual(2);
    expect(stored.some((a) => a.timing === 'on_time')).toBe(true);
    const checked = [...latest.keys()].filter((k) => k.split('|')[1]! in DIMENSIONS);
    expect(checked.sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      const got = latest.get(key)!;
      const context = `${key}: ${JSON.stringify(got)}`;
      expect({ key, attempts: got.attempts, plays: got.plays, ended: got.ended_plays, ebvs: got.ebvs, sf: got.start_failures, pf: got.playback_failures, concurrent: got.concurrent_viewers }).toEqual({
        key,
        attempts: e.attempts,
        plays: e.plays,
        ended: e.ended_plays,
        ebvs: e.ebvs,
        sf: e.start_failures,
        pf: e.playback_failures,
        concurrent: e.concurrent.size,
      });
      expect(got.watch_time_ms).toBeCloseTo(e.watch, 3);
      expect(got.playing_time_ms).toBeCloseTo(e.playing, 3);
      expect(got.rebuffer_time_ms).toBeCloseTo(e.rebuffer, 3);
      expect(got.rebuffer_count).toBe(e.rebuffer_count);
      expect(got.startup_time_ms.count).toBe(e.startups.length);
      if (e.startups.length > 0) {
        const sorted = [...e.startups].sort((a, b) => a - b);
        const exact = sorted[Math.floor(0.5 * (sorted.length - 1))]!;
        expect(Math.abs(got.startup_time_ms.median! - exact)).toBeLessThanOrEqual(exact * 0.01 + 1e-6);
      }
      expect(got.scored_views).toBe(e.overall.length);
      if (e.overall.length > 0) expect(got.mean_scores.overall).toBeCloseTo(e.overall.reduce((s, x) => s + x, 0) / e.overall.length, 6);
      expect(got.overall_score_distribution.reduce((s, n) => s + n, 0)).toBe(e.overall.length);
      if (got.value === 'other') throw new Error(`unexpected fold in ${context}`);
    }

    // The minutes add up to the views: every attempt, and all watch time of the completed views.
    const all = [...latest.values()].filter((a) => a.dimension === 'all');
    expect(all.reduce((n, a) => n + a.attempts, 0)).toBe(views);
    const finalWatch = snapshots.filter((s) => s.status === 'completed').reduce((m, s) => m.set(s.view_id, Math.max(m.get(s.view_id) ?? 0, s.metrics.watch_time_ms)), new Map<string, number>());
    expect(all.reduce((n, a) => n + a.watch_time_ms, 0)).toBeCloseTo([...finalWatch.values()].reduce((n, w) => n + w, 0), 3);
  }, 240_000);
});
