import { createTopology, streams, subjects, type Topology } from '@sightline/contracts';
import { connectJetStream, encodeJson, ensureStreams, type JetStreamConnection } from '@sightline/messaging';
import { deleteNamespace, natsUrl, redisUrl, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { alert, deleteRedisKeys, Receiver, until } from './notify-test-kit.fixture';

/** Notification delivery alone, built by `npm run build`. */
const SCRIPT = 'dist/apps/alerting/src/notify/notify-standalone.js';
const TOKEN = 'test-admin-token-0123456789';
const ALERTS = 6;

describe('a notifier killed while a delivery is in progress', () => {
  let conn: JetStreamConnection;
  let topology: Topology;
  let receiver: Receiver;
  let processes: ServiceProcess[] = [];

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'notify-crash-test' });
    topology = createTopology(uniqueNamespace('n'), 1);
    await ensureStreams(conn, Object.values(streams(topology)), { maxAgeMs: 600_000 });
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    processes = [];
    await receiver.stop();
    await deleteNamespace(conn, topology.namespace);
    await deleteRedisKeys(redisUrl(), topology.namespace);
    await conn.drain();
  });

  function startNotifier(): Promise<ServiceProcess> {
    return ServiceProcess.startScript(SCRIPT, 'notify', {
      NATS_URL: natsUrl(),
      REDIS_URL: redisUrl(),
      SIGHTLINE_NAMESPACE: topology.namespace,
      ALERTING_ADMIN_TOKEN: TOKEN,
      SIGHTLINE_ACK_WAIT_MS: '2000',
      NOTIFY_LOCK_MS: '2000',
      NOTIFY_BACKOFF_MS: '100',
      NOTIFY_BACKOFF_MAX_MS: '300',
    });
  }

  it('neither loses a notification nor delivers one under two keys; the one cut short comes again with its key', async () => {
    // The first request (alert 1) hangs for 5 s: the process is killed while it waits.
    receiver.respond = (_request, index) => ({ status: 200, delayMs: index === 0 ? 5000 : 0 });
    let notifier = await startNotifier();
    processes.push(notifier);
    const put = await fetch(`${notifier.url}/v1/channels/hook`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'webhook', url: `${receiver.url}/hook`, secret: 'whsec_test_0123456789abcdef', enabled: true }),
    });
    expect(put.status).toBe(200);
    await conn.publish(subjects.alert(topology, 'firing'), encodeJson(alert(1)), { msgId: 'a1' });
    await until(() => receiver.requests.length === 1, 10_000, 'the slow delivery to begin');
    for (let n = 2; n <= ALERTS; n++) await conn.publish(subjects.alert(topology, 'firing'), encodeJson(alert(n)), { msgId: `a${n}` });
    const delivered = async (service: ServiceProcess) => {
      const response = await fetch(`${service.url}/v1/deliveries`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const log = (await response.json()) as { status: string; delivery_key: string }[];
      return new Set(response.ok ? log.filter((r) => r.status === 'delivered').map((r) => r.delivery_key) : []);
    };
    await until(async () => (await delivered(notifier)).size === ALERTS - 1, 10_000, 'the other alerts delivered');
    await notifier.kill();

    notifier = await startNotifier();
    processes.push(notifier);
    await until(async () => (await delivered(notifier)).size === ALERTS, 20_000, 'every alert delivered');
    await new Promise((r) => setTimeout(r, 1000));

    const byKey = new Map<string, number>();
    for (const request of receiver.requests) byKey.set(request.headers['idempotency-key'] as string, (byKey.get(request.headers['idempotency-key'] as string) ?? 0) + 1);
    // Every alert reached the receiver under exactly one key of its own.
    expect([...byKey.keys()].sort()).toEqual(Array.from({ length: ALERTS }, (_, i) => `${alert(i + 1).transition_id}:hook`).sort());
    // Only the delivery in progress at the kill may come twice (at-least-once), with the same key.
    expect([...byKey.entries()].filter(([, count]) => count > 1)).toEqual([[`${alert(1).transition_id}:hook`, 2]]);
  });
});
