import { streams, type ViewSnapshot } from '@sightline/contracts';
import { connectJetStream, type JetStreamConnection } from '@sightline/messaging';
import { deleteNamespace, natsClientsOf, natsUrl, redisUrl, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { waitUntil } from './fixtures/crash-harness';
import { readStream } from './fixtures/streams';

const VIEWS = 60;
const BEACONS_PER_VIEW = 5;
const T0 = 1_764_100_000_000;

/** Beacon `b` of view `v`: four events each; the last beacon ends the view. */
function beacon(v: number, b: number) {
  const events = Array.from({ length: 4 }, (_, i) => {
    const seq = b * 4 + i;
    const type = seq === 0 ? 'play' : seq === 1 ? 'playing' : seq === BEACONS_PER_VIEW * 4 - 1 ? 'viewend' : 'heartbeat';
    return { seq, type, ts: T0 + seq * 1000 + v, playhead_ms: seq * 1000 };
  });
  return { v: 1, view_id: `crash-${v}`, context: { cdn: `cdn-${v % 3}` }, events };
}

describe('sessionizer killed while views stream in', () => {
  const namespace = uniqueNamespace('crash');
  let conn: JetStreamConnection;
  let ingest: ServiceProcess;
  let sessionizer: ServiceProcess;
  const env = { NATS_URL: natsUrl(), REDIS_URL: redisUrl(), SIGHTLINE_NAMESPACE: namespace, SIGHTLINE_PARTITIONS: '4', INGEST_PROPERTY_KEYS: 'k3y=crash', SIGHTLINE_LEASE_TTL_MS: '1500' };

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'sessionizer-crash-test' });
    ingest = await ServiceProcess.start('ingest', env);
    sessionizer = await ServiceProcess.start('sessionizer', env);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([ingest?.stop(), sessionizer?.stop()]);
    await deleteNamespace(conn, namespace);
    await conn.drain();
  });

  /** Every message the stream holds now, in order. */
  const readAll = <T>(stream: string): Promise<T[]> => readStream<T>(conn, stream);

  it('publishes every completed view exactly once, with the metrics of an uninterrupted run', async () => {
    let kills = 0;
    for (let b = 0; b < BEACONS_PER_VIEW; b++) {
      for (let v = 0; v < VIEWS; v++) {
        const response = await fetch(`${ingest.url}/v1/beacons?key=k3y`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(beacon(v, b)),
        });
        expect(response.status).toBe(202);
        if (v === VIEWS / 2 && b % 2 === 0) {
          await sessionizer.kill();
          kills++;
          sessionizer = await ServiceProcess.start('sessionizer', env);
        }
      }
    }
    expect(kills).toBe(3);

    const topology = { namespace, partitions: 4 };
    const completedCount = async () => {
      const info = await natsClientsOf(conn).jsm.streams.info(streams(topology).views.name, { subjects_filter: `${namespace}.v1.views.completed.>` });
      return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    };
    await waitUntil(async () => (await completedCount()) >= VIEWS, 40_000, 'every view completed');
    // Anything published twice would arrive right after; give it the time to.
    await new Promise((r) => setTimeout(r, 1500));
    const completed = (await readAll<ViewSnapshot>(streams(topology).views.name)).filter((v) => v.status === 'completed');

    const ids = completed.map((c) => c.view_id).sort();
    expect(new Set(ids).size).toBe(VIEWS);
    expect(ids).toHaveLength(VIEWS);
    for (const view of completed) {
      expect({ id: view.view_id, last_seq: view.last_seq, watch: view.metrics.watch_time_ms, startup: view.metrics.startup_time_ms }).toEqual({
        id: view.view_id,
        last_seq: BEACONS_PER_VIEW * 4 - 1,
        watch: (BEACONS_PER_VIEW * 4 - 1) * 1000,
        startup: 1000,
      });
    }
  }, 90_000);
});
