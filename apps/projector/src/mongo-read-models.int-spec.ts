import { randomBytes } from 'node:crypto';
import {
  aggregateUpsert,
  alertUpsert,
  COLLECTIONS,
  indexSpecs,
  viewUpsert,
  type Retention,
  type VersionedUpsert,
} from '@sightline/read-models';
import { describeWithMongo } from '@sightline/test-support';
import { MongoClient, type Db } from 'mongodb';
import { MongoReadModelStore } from './mongo-read-model-store';
import { ensureIndexes } from './mongo-indexes';
import { ReadModelQueries } from './read-model-queries';
import { alertTransition, finalScore, minuteAggregate } from './samples.fixture';

const retention: Retention = { viewsDays: 30, minuteMetricsDays: 14, hourMetricsDays: 400, alertsDays: 90 };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

describeWithMongo('MongoDB read models', (url) => {
  let client: MongoClient;
  let db: Db;
  let store: MongoReadModelStore;

  beforeAll(async () => {
    client = await new MongoClient(url, { serverSelectionTimeoutMS: 5000 }).connect();
  });

  beforeEach(() => {
    db = client.db(`t${randomBytes(6).toString('hex')}`);
    store = new MongoReadModelStore(db, retention);
  });

  afterEach(async () => {
    await db.dropDatabase();
  });

  afterAll(async () => {
    await client.close();
  });

  const batch = (): VersionedUpsert[] => [
    viewUpsert(finalScore('v1', 1)),
    viewUpsert(finalScore('v2', 1)),
    aggregateUpsert(minuteAggregate('fastly', T0, 0, 5)),
    aggregateUpsert({ ...minuteAggregate('fastly', T0, 0, 5), granularity: 'hour' }),
    alertUpsert(alertTransition('a1', 'firing', T0)),
  ];

  it('writes a batch once: replaying it changes no document', async () => {
    const first = await store.write(batch());
    expect(first.get(COLLECTIONS.views)).toEqual({ written: 2, unchanged: 0 });
    const snapshot = async () => Promise.all([COLLECTIONS.views, COLLECTIONS.minuteMetrics, COLLECTIONS.hourMetrics, COLLECTIONS.alerts].map((c) => db.collection(c).find().sort({ _id: 1 }).toArray()));
    const before = await snapshot();

    const replay = await store.write(batch());
    for (const outcome of replay.values()) expect(outcome.written).toBe(0);
    expect(replay.get(COLLECTIONS.views)).toEqual({ written: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
    expect(before.map((docs) => docs.length)).toEqual([2, 1, 1, 1]);
  });

  it('keeps the highest revision and pane: an older one after a newer one changes nothing', async () => {
    await store.write([viewUpsert(finalScore('v1', 3, 70)), aggregateUpsert(minuteAggregate('fastly', T0, 4, 50))]);
    const stale = await store.write([viewUpsert(finalScore('v1', 2, 10)), aggregateUpsert(minuteAggregate('fastly', T0, 1, 5))]);
    expect([...stale.values()].every((o) => o.written === 0)).toBe(true);
    expect(await db.collection(COLLECTIONS.views).findOne({ _id: 'demo/v1' as never })).toMatchObject({ revision: 3, overall_score: 70 });
    expect(await db.collection(COLLECTIONS.minuteMetrics).findOne({})).toMatchObject({ pane_index: 4, attempts: 50 });

    await store.write([viewUpsert(finalScore('v1', 4, 90))]);
    expect(await db.collection(COLLECTIONS.views).findOne({ _id: 'demo/v1' as never })).toMatchObject({ revision: 4, overall_score: 90 });
  });

  it('ends with the highest version when writers race on one new document', async () => {
    const versions = [5, 1, 9, 3, 7, 2, 8, 4, 6];
    await Promise.all(versions.map((pane) => new MongoReadModelStore(db, retention).write([aggregateUpsert(minuteAggregate('akamai', T0, pane, pane))])));
    expect(await db.collection(COLLECTIONS.minuteMetrics).find().toArray()).toEqual([expect.objectContaining({ pane_index: 9, attempts: 9 })]);
  });

  it('keeps an alert current: a resolution after its firing, fired_at kept', async () => {
    await store.write([alertUpsert(alertTransition('a1', 'firing', T0))]);
    await store.write([alertUpsert(alertTransition('a1', 'resolved', T0 + MINUTE)), alertUpsert(alertTransition('a2', 'firing', T0 + 2 * MINUTE))]);
    await store.write([alertUpsert(alertTransition('a1', 'firing', T0))]);
    expect(await db.collection(COLLECTIONS.alerts).findOne({ _id: 'a1' as never })).toMatchObject({
      state: 'resolved',
      fired_at: new Date(T0),
      resolved_at: new Date(T0 + MINUTE),
    });
    const open = await new ReadModelQueries(db).openAlerts({ propertyId: 'demo', limit: 10 });
    expect(open.map((a) => a.alert_id)).toEqual(['a2']);
  });

  it('answers the dashboard queries', async () => {
    await store.write([
      viewUpsert({ ...finalScore('v1', 1), scored_at_event_time: T0 + 1000 }),
      viewUpsert({ ...finalScore('v2', 1), scored_at_event_time: T0 + 3000 }),
      viewUpsert({ ...finalScore('v3', 1), scored_at_event_time: T0 + 2000, context: { cdn: 'akamai' } }),
      aggregateUpsert(minuteAggregate('fastly', T0, 0, 1)),
      aggregateUpsert(minuteAggregate('fastly', T0, 2, 10, 4)),
      aggregateUpsert(minuteAggregate('fastly', T0 + MINUTE, 1, 20, 1)),
      aggregateUpsert(minuteAggregate('akamai', T0, 1, 30, 0)),
      aggregateUpsert(minuteAggregate('all', T0, 1, 60, 5)),
    ]);
    const queries = new ReadModelQueries(db);
    const range = { from: new Date(T0), to: new Date(T0 + 10 * MINUTE) };

    const views = await queries.recentViews({ propertyId: 'demo', ...range, limit: 10 });
    expect(views.map((v) => v.view_id)).toEqual(['v2', 'v3', 'v1']);
    expect(views[0]).not.toHaveProperty('metrics');
    const fastly = await queries.recentViews({ propertyId: 'demo', cohort: { field: 'cdn', value: 'fastly' }, ...range, limit: 1 });
    expect(fastly.map((v) => v.view_id)).toEqual(['v2']);

    const series = await queries.metricSeries({ granularity: 'minute', propertyId: 'shop', dimension: 'cdn', value: 'fastly', ...range });
    expect(series.map((w) => [w.window_start, w.pane_index, w.attempts])).toEqual([
      [new Date(T0), 2, 10],
      [new Date(T0 + MINUTE), 1, 20],
    ]);

    const top = await queries.topCohorts({ granularity: 'minute', propertyId: 'shop', dimension: 'cdn', by: 'playback_failures', ...range, limit: 5 });
    expect(top.map((c) => [c.value, c.attempts, c.playback_failures, c.windows])).toEqual([
      ['fastly', 30, 5, 2],
      ['akamai', 30, 0, 1],
    ]);
    expect(top[0]!.playback_failure_rate).toBeCloseTo(5 / 30);
  });

  it('creates the dashboard and TTL indexes, and applies a new retention in place', async () => {
    await store.write(batch());
    const ttlOf = async (collection: string) =>
      Object.fromEntries((await db.collection(collection).listIndexes().toArray()).filter((i) => i.expireAfterSeconds !== undefined).map((i) => [i.name, i.expireAfterSeconds]));
    expect(await ttlOf(COLLECTIONS.views)).toEqual({ ttl_completed: 30 * 86_400 });
    expect(await ttlOf(COLLECTIONS.minuteMetrics)).toEqual({ ttl_window_start: 14 * 86_400 });
    expect(await ttlOf(COLLECTIONS.hourMetrics)).toEqual({ ttl_window_start: 400 * 86_400 });
    expect(await ttlOf(COLLECTIONS.alerts)).toEqual({ ttl_at: 90 * 86_400 });
    const viewIndexes = (await db.collection(COLLECTIONS.views).listIndexes().toArray()).map((i) => i.name);
    expect(viewIndexes).toEqual(expect.arrayContaining(['property_completed', 'property_cdn_completed', 'property_country_completed', 'property_asn_completed', 'property_title_completed']));

    await ensureIndexes(db, indexSpecs({ ...retention, viewsDays: 7 }));
    expect(await ttlOf(COLLECTIONS.views)).toEqual({ ttl_completed: 7 * 86_400 });
  });
});
