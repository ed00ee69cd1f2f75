import { createTopology, streams, subjects, type Alert, type CohortAggregate } from '@sightline/contracts';
import { connectJetStream, encodeJson, ensureStreams, type JetStreamConnection } from '@sightline/messaging';
import { runService, type RunningService } from '@sightline/service-kit';
import { deleteNamespace, natsUrl, redisUrl, uniqueNamespace } from '@sightline/test-support';
import { alertingService } from '../alerting.definition';

const TOKEN = 'test-admin-token-0123456789';

/** An early pane of cdn=<value> with the given failure rate over 100 attempts. */
function pane(value: string, rate: number, index: number): CohortAggregate {
  const window = Math.floor(Date.now() / 60_000) * 60_000;
  return {
    v: 1, property_id: 'shop', granularity: 'minute', window_start: window, window_end: window + 60_000, dimension: 'cdn', value, timing: 'early', pane_index: index,
    attempts: 100, plays: 100, ended_plays: 50, concurrent_viewers: 100, ebvs: 0, start_failures: 0, playback_failures: Math.round(rate * 100), ebvs_rate: 0, start_failure_rate: 0,
    playback_failure_rate_of_attempts: rate, playback_failure_rate_of_ended_plays: rate, startup_time_ms: { count: 0, median: null, p95: null, sketch: '' }, watch_time_ms: 1, playing_time_ms: 1,
    rebuffer_time_ms: 0, rebuffer_count: 0, rebuffer_percentage: 0, rebuffering_ratio: 0, weighted_average_bitrate_bps: null, scored_views: 0, score_version: 'sightline-qoe/1',
    mean_scores: { overall: null, playback_success: null, startup_time: null, smoothness: null, video_quality: null }, overall_score_distribution: new Array<number>(10).fill(0),
  };
}

const rule = {
  kind: 'threshold',
  description: 'Playback failures above 5% on a CDN',
  severity: 'critical',
  channels: [],
  enabled: true,
  metric: 'playback_failure_rate_of_attempts',
  cohort: { dimension: 'cdn' },
  comparison: '>',
  value: 0.05,
  trigger_after_ms: 1500,
  resolve_after_ms: 1500,
  min_attempts: 25,
};

describe('alert rules and lifecycle in the alerting service', () => {
  let conn: JetStreamConnection;
  let service: RunningService | undefined;
  const namespace = uniqueNamespace('alrt');
  const topology = createTopology(namespace, 2);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${service!.url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) } });

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'alert-rules-test' });
    await ensureStreams(conn, Object.values(streams(topology)), { maxAgeMs: 600_000 });
    service = await runService(alertingService, {
      NATS_URL: natsUrl(),
      REDIS_URL: redisUrl(),
      HTTP_PORT: '0',
      SIGHTLINE_NAMESPACE: namespace,
      SIGHTLINE_PARTITIONS: '2',
      SIGHTLINE_TICK_INTERVAL_MS: '200',
      LOG_LEVEL: 'silent',
      ALERTING_ADMIN_TOKEN: TOKEN,
    });
  });

  afterAll(async () => {
    await service?.close();
    await deleteNamespace(conn, namespace);
    await conn.drain();
  });

  it('rejects invalid rules with the field and the reason, and unauthorised calls', async () => {
    const bad = await api('/v1/alert-rules/bad', { method: 'PUT', body: JSON.stringify({ ...rule, metric: 'nonsense', trigger_after_ms: -1 }) });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: string; message: string; issues: { path: string }[] };
    expect(body.code).toBe('INVALID_RULE');
    expect(body.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['/trigger_after_ms', '/metric']));
    const noKind = await api('/v1/alert-rules/bad', { method: 'PUT', body: JSON.stringify({ ...rule, kind: 'sometimes' }) });
    expect(await noKind.json()).toMatchObject({ code: 'INVALID_RULE', issues: [{ path: '/kind' }] });
    const fraction = await api('/v1/alert-rules/bad', { method: 'PUT', body: JSON.stringify({ ...rule, value: 5 }) });
    expect(await fraction.json()).toMatchObject({ code: 'INVALID_RULE', message: expect.stringContaining('is a fraction from 0 to 1, got 5') });
    const notJson = await api('/v1/alert-rules/bad', { method: 'PUT', body: '[1,2]' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${service!.url}/v1/alert-rules`)).status).toBe(401);
    expect((await api('/v1/alert-rules/none')).status).toBe(404);
    // The default anomaly rule was created at start.
    expect(((await (await api('/v1/alert-rules')).json()) as { id: string }[]).map((r) => r.id)).toEqual(['anomalies']);
  });

  it('fires once and resolves once across an incident, and takes one acknowledgement', async () => {
    expect((await api('/v1/alert-rules/cdn-failures', { method: 'PUT', body: JSON.stringify(rule) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const alerts: Alert[] = [];
    const sub = conn.subscribe(subjects.alertsAll(topology), (msg) => alerts.push(msg.json<Alert>()));
    const send = async (value: string, rate: number, index: number) => {
      const p = pane(value, rate, index);
      await conn.publish(subjects.aggregate(topology, 'minute', 'shop', 'cdn', value), encodeJson(p), { msgId: `${value}:${index}` });
    };
    // Normal, then fastly fails for 4 s (panes every 250 ms; akamai fine throughout), then normal.
    let index = 0;
    for (let t = 0; t < 9000; t += 250, index++) {
      await send('fastly', t >= 1000 && t < 5000 ? 0.3 : 0.01, index);
      await send('akamai', 0.01, index);
      await new Promise((r) => setTimeout(r, 250));
    }
    const deadline = Date.now() + 5000;
    while (alerts.filter((a) => a.state === 'resolved').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alerts.map((a) => [a.state, a.alert_id])).toEqual([
      ['firing', 'cdn-failures:shop:cdn=fastly'],
      ['resolved', 'cdn-failures:shop:cdn=fastly'],
    ]);
    const [firing, resolved] = alerts;
    expect(firing).toMatchObject({ rule_kind: 'threshold', severity: 'critical', cohort: { cdn: 'fastly' }, observed: 0.3, expected: 0.05, notify: true });
    expect(resolved!.at - firing!.at).toBeGreaterThanOrEqual(1500);
    expect(resolved!.transition_id).toBe(`cdn-failures:shop:cdn=fastly:resolved:${firing!.fired_at}`);

    // Fire again, then acknowledge: once, and not after it resolved.
    for (let i = 0; i < 12; i++, index++) {
      await send('fastly', 0.4, index);
      await new Promise((r) => setTimeout(r, 250));
    }
    const refired = alerts.at(-1)!;
    expect(refired.state).toBe('firing');
    await new Promise((r) => setTimeout(r, 300));
    const ack = await api(`/v1/alerts/${encodeURIComponent(refired.alert_id)}/ack`, { method: 'POST', body: JSON.stringify({ by: 'oncall@example.com' }) });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ state: 'acknowledged', acknowledged_by: 'oncall@example.com', transition_id: `${refired.alert_id}:acknowledged:${refired.fired_at}` });
    expect((await api(`/v1/alerts/${encodeURIComponent(refired.alert_id)}/ack`, { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await api('/v1/alerts?state=acknowledged')).status).toBe(200);
    // Removing the rule resolves its alert.
    expect((await fetch(`${service!.url}/v1/alert-rules/cdn-failures`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(204);
    await send('fastly', 0.4, index++);
    const until = Date.now() + 3000;
    while (alerts.at(-1)?.state !== 'resolved' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await sub.stop();
    expect(alerts.filter((a) => a.state === 'acknowledged')).toHaveLength(1);
    expect(alerts.at(-1)).toMatchObject({ state: 'resolved', summary: expect.stringContaining('rule removed') });
  }, 40_000);
});
