import { createTopology, streams, subjects, type Alert, type Topology } from '@sightline/contracts';
import { connectJetStream, encodeJson, type JetStreamConnection } from '@sightline/messaging';
import { verifySignature } from '@sightline/notifications';
import { runService, type RunningService } from '@sightline/service-kit';
import { deleteNamespace, natsClientsOf, natsUrl, redisUrl, uniqueNamespace } from '@sightline/test-support';
import { hmacSha256Hex } from './hmac';
import { alert, deleteRedisKeys, Receiver, until } from './notify-test-kit.fixture';
import { NOTIFIER_DURABLE } from './notification-runtime';
import { notifyStandaloneService } from './notify-standalone';

const TOKEN = 'test-admin-token-0123456789';
const SECRET = 'whsec_test_0123456789abcdef';

describe('notifications against real NATS and Redis, with a local receiver', () => {
  let conn: JetStreamConnection;
  let topology: Topology;
  let receiver: Receiver;
  const services: RunningService[] = [];

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'notify-test' });
    topology = createTopology(uniqueNamespace('n'), 1);
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
    await receiver.stop();
    await deleteNamespace(conn, topology.namespace);
    await deleteRedisKeys(redisUrl(), topology.namespace);
    await conn.drain();
  });

  async function start(env: Record<string, string> = {}): Promise<RunningService> {
    const service = await runService(notifyStandaloneService, {
      NATS_URL: natsUrl(),
      REDIS_URL: redisUrl(),
      SIGHTLINE_NAMESPACE: topology.namespace,
      HTTP_PORT: '0',
      LOG_LEVEL: process.env.NOTIFY_TEST_LOG ?? 'silent',
      ALERTING_ADMIN_TOKEN: TOKEN,
      SIGHTLINE_ACK_WAIT_MS: '2000',
      NOTIFY_BACKOFF_MS: '100',
      NOTIFY_BACKOFF_MAX_MS: '300',
      NOTIFY_LOCK_MS: '2000',
      ...env,
    });
    services.push(service);
    return service;
  }

  async function api(service: RunningService, method: string, path: string, body?: unknown, token = TOKEN): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  async function putChannel(service: RunningService, id: string, channel: Record<string, unknown>): Promise<void> {
    const { status, json } = await api(service, 'PUT', `/v1/channels/${id}`, channel);
    expect({ status, json }).toMatchObject({ status: 200 });
  }

  async function publish(a: Alert, msgId = a.transition_id ?? a.alert_id): Promise<void> {
    await conn.publish(subjects.alert(topology, a.state), encodeJson(a), { msgId });
  }

  it('delivers a signed webhook, a Slack message and a PagerDuty event once each', async () => {
    const service = await start();
    await putChannel(service, 'hook', { kind: 'webhook', url: `${receiver.url}/hook`, secret: SECRET, enabled: true });
    await putChannel(service, 'slack', { kind: 'slack', url: `${receiver.url}/slack`, enabled: true });
    await putChannel(service, 'pager', { kind: 'pagerduty', url: `${receiver.url}/pd`, routing_key: 'R0UT1NG', enabled: true });
    const fired = alert(1, { channels: ['hook', 'slack', 'pager', 'nowhere'] });
    await publish(fired);
    await until(() => receiver.requests.length >= 3, 10_000, 'three deliveries');

    const [hook] = receiver.on('/hook');
    expect(hook!.headers['idempotency-key']).toBe(`${fired.transition_id}:hook`);
    expect(JSON.parse(hook!.body)).toEqual(fired);
    const verified = verifySignature({
      secret: SECRET,
      signature: hook!.headers['x-sightline-signature'] as string,
      timestamp: hook!.headers['x-sightline-timestamp'] as string,
      body: hook!.body,
      nowS: Date.now() / 1000,
      toleranceS: 300,
    }, hmacSha256Hex);
    expect(verified).toEqual({ ok: true });
    expect(JSON.parse(receiver.on('/slack')[0]!.body)).toMatchObject({ text: expect.stringContaining('[FIRING] CRITICAL'), blocks: expect.any(Array) });
    expect(JSON.parse(receiver.on('/pd')[0]!.body)).toMatchObject({
      routing_key: 'R0UT1NG',
      event_action: 'trigger',
      dedup_key: fired.alert_id,
      payload: { severity: 'critical', source: 'sightline/demo' },
    });

    await publish({ ...fired, state: 'resolved', at: fired.at + 60_000, transition_id: `${fired.alert_id}:resolved:2`, channels: ['pager'] });
    await until(() => receiver.on('/pd').length === 2, 10_000, 'the resolve');
    expect(JSON.parse(receiver.on('/pd')[1]!.body)).toEqual({ routing_key: 'R0UT1NG', event_action: 'resolve', dedup_key: fired.alert_id });

    await until(async () => ((await api(service, 'GET', `/v1/deliveries?alert_id=${encodeURIComponent(fired.alert_id)}`)).json as unknown[]).length === 4);
    const log = (await api(service, 'GET', `/v1/deliveries?alert_id=${encodeURIComponent(fired.alert_id)}`)).json as { status: string; channel_id: string; http_status: number }[];
    expect(log.map((r) => [r.channel_id, r.status, r.http_status]).sort()).toEqual([
      ['hook', 'delivered', 200],
      ['pager', 'delivered', 200],
      ['pager', 'delivered', 200],
      ['slack', 'delivered', 200],
    ]);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests).toHaveLength(4);
  });

  it('retries a failing receiver with backoff and delivers after its recovery', async () => {
    receiver.respond = (_request, index) => ({ status: index < 3 ? 500 : 200 });
    const service = await start();
    await putChannel(service, 'hook', { kind: 'webhook', url: `${receiver.url}/hook`, enabled: true });
    await publish(alert(1));
    await until(() => receiver.requests.some((r) => r.status === 200), 10_000, 'a delivery after recovery');
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(receiver.requests[0]!.headers['x-sightline-signature']).toBeUndefined();
    await until(async () => ((await api(service, 'GET', '/v1/deliveries')).json as unknown[]).length === 4);
    const log = (await api(service, 'GET', '/v1/deliveries')).json as { status: string; attempt: number; http_status: number }[];
    expect(log.map((r) => [r.attempt, r.status, r.http_status])).toEqual([
      [4, 'delivered', 200],
      [3, 'failed', 500],
      [2, 'failed', 500],
      [1, 'failed', 500],
    ]);
  });

  it('dead-letters at once what the receiver refuses (4xx), and after the last attempt what keeps failing', async () => {
    receiver.respond = (request) => ({ status: request.path === '/gone' ? 410 : 503 });
    const service = await start({ NOTIFY_MAX_ATTEMPTS: '3' });
    await putChannel(service, 'gone', { kind: 'webhook', url: `${receiver.url}/gone`, enabled: true });
    await putChannel(service, 'down', { kind: 'webhook', url: `${receiver.url}/down`, enabled: true });
    await publish(alert(1, { channels: ['gone', 'down'] }));
    await until(async () => ((await api(service, 'GET', '/v1/deliveries/dead')).json as unknown[]).length === 2, 10_000, 'two dead letters');
    expect(receiver.on('/gone')).toHaveLength(1);
    expect(receiver.on('/down')).toHaveLength(3);
    const dead = (await api(service, 'GET', '/v1/deliveries/dead')).json as { job: { channel_id: string }; attempts: number; last_error: string; last_http_status: number }[];
    expect(dead.map((d) => [d.job.channel_id, d.attempts, d.last_http_status]).sort()).toEqual([
      ['down', 3, 503],
      ['gone', 1, 410],
    ]);
  });

  it('holds back notifications a silence selects until it ends, and delivers the others meanwhile', async () => {
    const service = await start();
    await putChannel(service, 'hook', { kind: 'webhook', url: `${receiver.url}/hook`, enabled: true });
    const endsAt = Date.now() + 2500;
    const silence = { matchers: [{ name: 'cohort.cdn', value: 'fast.*', regex: true }], starts_at: Date.now() - 1000, ends_at: endsAt, comment: 'CDN maintenance', created_by: 'ops' };
    expect((await api(service, 'PUT', '/v1/silences/fastly-maint', silence)).status).toBe(200);
    await publish(alert(1));
    await publish(alert(2, { cohort: { cdn: 'akamai' }, alert_id: 'rule-2:demo:cdn=akamai' }));
    await until(() => receiver.requests.length === 1, 10_000, 'the unsilenced alert');
    expect(JSON.parse(receiver.requests[0]!.body).cohort).toEqual({ cdn: 'akamai' });
    await until(() => receiver.requests.length === 2, 10_000, 'the silenced alert after the silence');
    expect(receiver.requests[1]!.at).toBeGreaterThanOrEqual(endsAt);
    expect(JSON.parse(receiver.requests[1]!.body).cohort).toEqual({ cdn: 'fastly' });
    const logOf = async () => (await api(service, 'GET', `/v1/deliveries?alert_id=${encodeURIComponent(alert(1).alert_id)}`)).json as { status: string; attempt: number }[];
    await until(async () => (await logOf()).length === 2);
    const log = await logOf();
    expect(log.map((r) => [r.status, r.attempt])).toEqual([
      ['delivered', 1],
      ['held', 1],
    ]);
  });

  it('sends one notification per idempotency key for an alert published twice, read by two instances and replayed', async () => {
    const first = await start();
    await start();
    await putChannel(first, 'hook', { kind: 'webhook', url: `${receiver.url}/hook`, enabled: true });
    const fired = alert(1);
    await publish(fired, 'copy-1');
    await publish(fired, 'copy-2'); // a second copy in the stream: as after a crash of the publisher
    await until(() => receiver.requests.length >= 1);
    // Replay the whole stream with a fresh durable: as if the notifier's position were lost.
    await Promise.all(services.splice(0).map((s) => s.close()));
    await natsClientsOf(conn).jsm.consumers.delete(streams(topology).alerts.name, NOTIFIER_DURABLE);
    await start();
    await until(async () => (await conn.consumerState(streams(topology).alerts.name, NOTIFIER_DURABLE)).ackFloor === 2, 10_000, 'the replay');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests).toHaveLength(1);
  });

  it('leaves alerts unacknowledged while Redis is unreachable and delivers them once it is back', async () => {
    await start({ REDIS_URL: 'redis://127.0.0.1:1', NOTIFY_ENQUEUE_TIMEOUT_MS: '300' });
    // The channel store is NATS: it can be written while Redis is down.
    const withRedis = await start({ HTTP_PORT: '0' });
    await putChannel(withRedis, 'hook', { kind: 'webhook', url: `${receiver.url}/hook`, enabled: true });
    await withRedis.close();
    services.splice(services.indexOf(withRedis), 1);
    await publish(alert(1));
    await new Promise((r) => setTimeout(r, 1500));
    const state = await conn.consumerState(streams(topology).alerts.name, NOTIFIER_DURABLE);
    expect(state.ackFloor).toBe(0);
    expect(state.ackPending + state.pending).toBe(1);
    expect(receiver.requests).toHaveLength(0);

    await Promise.all(services.splice(0).map((s) => s.close()));
    await start();
    await until(() => receiver.requests.length === 1, 10_000, 'the delivery after Redis returned');
    await until(async () => (await conn.consumerState(streams(topology).alerts.name, NOTIFIER_DURABLE)).ackFloor === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(1);
  });

  it('guards the API with the admin token and names the field at fault', async () => {
    const service = await start();
    expect(await api(service, 'GET', '/v1/channels', undefined, 'wrong')).toMatchObject({ status: 401, json: { code: 'UNAUTHORIZED' } });
    expect(await api(service, 'PUT', '/v1/channels/x', { kind: 'webhook', url: 'ftp://x', enabled: true })).toMatchObject({
      status: 400,
      json: { code: 'INVALID_CHANNEL', field: '/url' },
    });
    expect(await api(service, 'PUT', '/v1/silences/s', { matchers: [{ name: 'metric', value: 'x' }], starts_at: 10, ends_at: 5, comment: '', created_by: 'me' })).toMatchObject({
      status: 400,
      json: { code: 'INVALID_SILENCE', field: '/ends_at', message: expect.stringContaining('must be after /starts_at') },
    });
    expect(await api(service, 'PUT', '/v1/silences/s', { matchers: [{ name: 'metric', value: '[', regex: true }], starts_at: 1, ends_at: 5, comment: '', created_by: 'me' })).toMatchObject({
      status: 400,
      json: { code: 'INVALID_SILENCE', field: '/matchers/0/value' },
    });
    await putChannel(service, 'hook', { kind: 'webhook', url: 'https://example.com/x', secret: SECRET, enabled: true });
    expect(await api(service, 'GET', '/v1/channels/hook')).toEqual({ status: 200, json: { id: 'hook', kind: 'webhook', url: 'https://example.com/x', secret: '***', enabled: true } });
    expect((await api(service, 'DELETE', '/v1/channels/hook')).status).toBe(204);
    expect(await api(service, 'GET', '/v1/channels/hook')).toMatchObject({ status: 404, json: { code: 'NOT_FOUND' } });
    const off = await start({ ALERTING_ADMIN_TOKEN: '' });
    expect(await api(off, 'GET', '/v1/silences')).toMatchObject({ status: 403, json: { code: 'ADMIN_DISABLED' } });
  });
});
