import { streams, type ViewSnapshot } from '@sightline/contracts';
import { connectJetStream, type JetStreamConnection } from '@sightline/messaging';
import { beaconsOf, FleetPlan, loadTraces, parseScenario, type ScheduledBeacon } from '@sightline/simulator';
import { deleteNamespace, natsUrl, redisUrl, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { waitUntil } from './fixtures/crash-harness';
import { readStream } from './fixtures/streams';

const VIEWS = 40;

/**
 * The views of a simulated fleet (real network traces, seeks, pauses, stalls, errors, SDK-style
 * batching) go to two sessionizers in two namespaces: one runs undisturbed, the other is
 * SIGKILLed three times while the beacons stream in. Their completed views must be the same.
 */
describe('sessionizer killed during a simulated fleet', () => {
  const crashed = uniqueNamespace('sfc');
  const reference = uniqueNamespace('sfr');
  const services: Record<'crashIngest' | 'crashSessionizer' | 'refIngest' | 'refSessionizer', ServiceProcess | undefined> = {
    crashIngest: undefined,
    crashSessionizer: undefined,
    refIngest: undefined,
    refSessionizer: undefined,
  };
  let conn: JetStreamConnection;
  const env = (namespace: string) => ({
    NATS_URL: natsUrl(),
    REDIS_URL: redisUrl(),
    SIGHTLINE_NAMESPACE: namespace,
    SIGHTLINE_PARTITIONS: '4',
    INGEST_PROPERTY_KEYS: 'fleet-key=fleet',
    SIGHTLINE_LEASE_TTL_MS: '1500',
  });

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'sessionizer-fleet-crash' });
    services.crashIngest = await ServiceProcess.start('ingest', env(crashed));
    services.crashSessionizer = await ServiceProcess.start('sessionizer', env(crashed));
    services.refIngest = await ServiceProcess.start('ingest', env(reference));
    services.refSessionizer = await ServiceProcess.start('sessionizer', env(reference));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s?.stop()));
    await deleteNamespace(conn, crashed);
    await deleteNamespace(conn, reference);
    await conn.drain();
  });

  async function completedViews(namespace: string): Promise<ViewSnapshot[]> {
    const stream = streams({ namespace, partitions: 4 }).views.name;
    return readStream<ViewSnapshot>(conn, stream, (subject) => subject.includes('.completed.'));
  }

  it('publishes each completed view once, equal to the undisturbed run', async () => {
    const scenario = parseScenario({ name: 'crash', seed: 5, viewers: VIEWS, duration_s: 60, ramp_s: 10, watch_median_s: 30 });
    const plan = new FleetPlan(scenario, loadTraces(), `c${Date.now().toString(36)}`, Date.now() - 30 * 60_000);
    const beacons: ScheduledBeacon[] = [];
    for (let slot = 0; slot < VIEWS; slot++) beacons.push(...beaconsOf(plan.view(slot, 0, plan.firstViewAt(slot)), { intervalS: 10, maxEvents: 50 }));
    beacons.sort((a, b) => a.sendAt - b.sendAt);

    const send = async (ingest: ServiceProcess, b: ScheduledBeacon) => {
      const response = await fetch(`${ingest.url}/v1/beacons?key=fleet-key`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b.beacon) });
      expect(response.status).toBe(202);
    };
    const killAt = new Set([Math.floor(beacons.length / 4), Math.floor(beacons.length / 2), Math.floor((3 * beacons.length) / 4)]);
    for (const [i, b] of beacons.entries()) {
      await Promise.all([send(services.crashIngest!, b), send(services.refIngest!, b)]);
      if (killAt.has(i)) {
        await services.crashSessionizer!.kill();
        services.crashSessionizer = await ServiceProcess.start('sessionizer', env(crashed));
      }
    }

    await waitUntil(async () => (await completedViews(reference)).length >= VIEWS && (await completedViews(crashed)).length >= VIEWS, 60_000, 'every view completed in both runs');
    await new Promise((r) => setTimeout(r, 1500));
    const mine = await completedViews(crashed);
    const theirs = new Map((await completedViews(reference)).map((v) => [v.view_id, v]));
    expect(new Set(mine.map((v) => v.view_id)).size).toBe(VIEWS);
    expect(mine).toHaveLength(VIEWS);
    // What the beacons themselves say: every request event counted once, in both runs.
    const requests = new Map<string, number>();
    for (const b of beacons) {
      const n = b.beacon.events.filter((e) => e.type === 'requestcompleted' || e.type === 'requestfailed').length;
      requests.set(b.beacon.view_id, (requests.get(b.beacon.view_id) ?? 0) + n);
    }
    for (const view of mine) {
      const expected = theirs.get(view.view_id)!;
      expect({ id: view.view_id, crashed: view.metrics.request_count, reference: expected.metrics.request_count }).toEqual({
        id: view.view_id,
        crashed: requests.get(view.view_id),
        reference: requests.get(view.view_id),
      });
      expect({ id: view.view_id, last_seq: view.last_seq, end_reason: view.end_reason, metrics: view.metrics }).toEqual({
        id: expected.view_id,
        last_seq: expected.last_seq,
        end_reason: expected.end_reason,
        metrics: expected.metrics,
      });
    }
  }, 180_000);
});
