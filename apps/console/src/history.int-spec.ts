import { breakdown, latestWindows, overview, previousRange } from '@sightline/console-queries';
import type { CohortAggregate } from '@sightline/contracts';
import { aggregateUpsert } from '@sightline/read-models';
import { describeWithMongo } from '@sightline/test-support';
import { MongoClient, type Db } from 'mongodb';
import { MongoHistory } from './history';

const T0 = Date.UTC(2026, 0, 1, 12, 0);
const MIN = 60_000;

function aggregate(start: number, dimension: string, value: string, plays: number, pane = 1): CohortAggregate {
  return {
    v: 1, property_id: 'hist', granularity: 'minute', window_start: start, window_end: start + MIN, dimension, value, timing: 'on_time', pane_index: pane,
    attempts: plays + 1, plays, ended_plays: plays, concurrent_viewers: plays, ebvs: 1, start_failures: 0, playback_failures: 0,
    ebvs_rate: 1 / (plays + 1), start_failure_rate: 0, playback_failure_rate_of_attempts: 0, playback_failure_rate_of_ended_plays: 0,
    startup_time_ms: { count: 0, median: null, p95: null, sketch: 'AA==' },
    watch_time_ms: plays * 1000, playing_time_ms: plays * 900, rebuffer_time_ms: plays * 100, rebuffer_count: plays, rebuffer_percentage: 0.1, rebuffering_ratio: 0.1, weighted_average_bitrate_bps: 1e6,
    scored_views: plays, score_version: 'sightline-qoe/1', mean_scores: { overall: 80, playback_success: 100, startup_time: 90, smoothness: 80, video_quality: 70 }, overall_score_distribution: [0, 0, 0, 0, 0, 0, 0, 0, plays, 0],
  };
}

describeWithMongo('console history from the MongoDB read models', (url) => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await new MongoClient(url, { serverSelectionTimeoutMS: 5000 }).connect();
    db = client.db(`console_history_${process.pid}_${Date.now()}`);
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  it('reads back the aggregates the projector stored, and the queries answer the same from them as from the panes', async () => {
    const panes = [aggregate(T0, 'cdn', 'akamai', 3, 1), aggregate(T0, 'cdn', 'akamai', 4, 2), aggregate(T0, 'cdn', 'fastly', 2, 2), aggregate(T0 + MIN, 'cdn', 'fastly', 5, 1), aggregate(T0, 'all', 'all', 6, 2), aggregate(T0 + MIN, 'all', 'all', 5, 1)];
    // As the projector writes them: the latest pane's fields per document (panes written in order here).
    for (const pane of [...panes].sort((a, b) => a.pane_index - b.pane_index)) {
      const upsert = aggregateUpsert(pane);
      await db.collection(upsert.collection).updateOne({ _id: upsert.id as never }, { $set: upsert.fields }, { upsert: true });
    }
    const history = new MongoHistory(db);
    const range = { from: T0, to: T0 + 2 * MIN, granularity: 'minute' as const };
    const cdn = await history.windows({ propertyId: 'hist', granularity: 'minute', dimension: 'cdn', from: range.from, to: range.to });
    expect(cdn.sort((a, b) => a.window_start - b.window_start || a.value.localeCompare(b.value))).toEqual(latestWindows(panes.filter((p) => p.dimension === 'cdn')));
    const fromStreams = breakdown(latestWindows(panes.filter((p) => p.dimension === 'cdn')), range, { metric: 'plays', order: 'desc', limit: 10 });
    expect(breakdown(cdn, range, { metric: 'plays', order: 'desc', limit: 10 })).toEqual(fromStreams);
    const all = await history.windows({ propertyId: 'hist', granularity: 'minute', dimension: 'all', value: 'all', from: range.from, to: range.to });
    expect(overview(all, range, previousRange(range))).toEqual(overview(latestWindows(panes.filter((p) => p.dimension === 'all')), range, previousRange(range)));
  });
});
