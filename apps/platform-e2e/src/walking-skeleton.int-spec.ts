import { randomUUID } from 'node:crypto';
import { streams, type Alert, type Anomaly, type ScoredView, type ViewSnapshot } from '@sightline/contracts';
import type { JetStreamConnection } from '@sightline/messaging';
import { natsClientsOf, natsUrl, ServiceProcess } from '@sightline/test-support';
import { startPlatform, type TestPlatform } from './fixtures/platform';
const T0 = 1_764_100_000_000;

/** A view with a 9 s startup and two long stalls: it scores below 50 and should page someone. */
function poorView(viewId: string) {
  const at = (s: number) => T0 + s * 1000;
  return {
    v: 1,
    view_id: viewId,
    context: { cdn: 'cdn-a', player_name: 'hls.js', video_title: 'E2E' },
    events: [
      { seq: 0, type: 'viewstart', ts: at(0), playhead_ms: 0 },
      { seq: 1, type: 'play', ts: at(0), playhead_ms: 0 },
      { seq: 2, type: 'playing', ts: at(9), playhead_ms: 0, rendition: { bitrate_bps: 800_000, width: 640, height: 360 }, player_width: 640, player_height: 360 },
      { seq: 3, type: 'rebufferstart', ts: at(15), playhead_ms: 6000 },
      { seq: 4, type: 'rebufferend', ts: at(35), playhead_ms: 6000 },
      { seq: 5, type: 'rebufferstart', ts: at(40), playhead_ms: 11_000 },
      { seq: 6, type: 'rebufferend', ts: at(55), playhead_ms: 11_000 },
      { seq: 7, type: 'viewend', ts: at(60), playhead_ms: 16_000 },
    ],
  };
}

describe('walking skeleton: a beacon becomes a score, an anomaly and an alert', () => {
  let platform: TestPlatform;
  let namespace: string;
  let conn: JetStreamConnection;
  let ingestUrl: string;

  beforeAll(async () => {
    platform = await startPlatform('e2e', {
      SESSIONIZER_COMPLETION_SILENCE_MS: '1500',
      SIGHTLINE_TICK_INTERVAL_MS: '200',
      INGEST_PROPERTY_KEYS: 'e2e-key=e2e',
    });
    ({ namespace, conn, ingestUrl } = platform);
  }, 60_000);

  afterAll(() => platform?.stop());

  /** Waits for the first message on `stream` matching `predicate`, reading from the start. */
  async function waitFor<T>(stream: 'views' | 'scores' | 'anomalies' | 'alerts', predicate: (m: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const messages = await conn.read({ stream: streams({ namespace, partitions: 4 })[stream].name, from: 'start' });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      messages.stop();
    }, timeoutMs);
    try {
      for await (const m of messages) {
        if (m.control) continue;
        const payload = m.json<T>();
        if (predicate(payload)) return payload;
      }
      throw new Error(timedOut ? `nothing matched on ${stream} within ${timeoutMs} ms` : `${stream} consumer ended`);
    } finally {
      clearTimeout(timer);
      messages.stop();
    }
  }

  /** Beacons in the events stream (ticks, which share it, left out). */
  async function storedBeacons(): Promise<number> {
    const info = await natsClientsOf(conn).jsm.streams.info(streams({ namespace, partitions: 4 }).events.name, { subjects_filter: `${namespace}.v1.events.beacon.>` });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  }

  function post(body: unknown, contentType = 'application/json', key = 'e2e-key') {
    return fetch(`${ingestUrl}/v1/beacons?key=${key}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('serves health, readiness and Prometheus metrics on every service', async () => {
    for (const service of platform.services) {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${service.url}/readyz`);
      expect({ service: service.name, status: ready.status }).toEqual({ service: service.name, status: 200 });
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toContain('process_cpu_user_seconds_total');
    }
  });

  it('turns a poor view into a final score, an anomaly and a firing alert', async () => {
    const viewId = `e2e-${randomUUID()}`;
    const response = await post(poorView(viewId));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 8, rejected: [] });

    const completed = await waitFor<ViewSnapshot>('views', (v) => v.view_id === viewId && v.status === 'completed');
    expect(completed.metrics).toMatchObject({ startup_time_ms: 9000, rebuffer_count: 2, rebuffer_duration_ms: 35_000, watch_time_ms: 60_000 });

    const score = await waitFor<ScoredView>('scores', (s) => s.view_id === viewId && s.kind === 'final');
    expect(score.score_version).toBe('sightline-qoe/1');
    expect(score.scores.startup_time).toBeCloseTo(47.06, 2);
    expect(score.scores.overall).toBeLessThan(50);

    const anomaly = await waitFor<Anomaly>('anomalies', (a) => a.evidence.view_ids.includes(viewId));
    expect(anomaly).toMatchObject({ metric: 'overall_score', cohort: { cdn: 'cdn-a', player_name: 'hls.js' }, observed: score.scores.overall });

    const alert = await waitFor<Alert>('alerts', (a) => a.anomaly_id === anomaly.anomaly_id);
    expect(alert).toMatchObject({ state: 'firing', property_id: 'e2e', metric: 'overall_score', observed: score.scores.overall });
  });

  it('completes a view that goes silent, and accepts text/plain beacons as sendBeacon sends them', async () => {
    const viewId = `e2e-${randomUUID()}`;
    const events = poorView(viewId).events.slice(0, 3);
    const response = await post(JSON.stringify({ v: 1, view_id: viewId, events }), 'text/plain;charset=UTF-8');
    expect(response.status).toBe(202);
    const completed = await waitFor<ViewSnapshot>('views', (v) => v.view_id === viewId && v.status === 'completed');
    expect(completed.end_reason).toBe('inactivity');
    const score = await waitFor<ScoredView>('scores', (s) => s.view_id === viewId && s.kind === 'final');
    expect(score.scores.playback_success).toBe(100);
  });

  it('refuses to start a service with bad configuration, naming the variable', async () => {
    await expect(ServiceProcess.start('ingest', { NATS_URL: natsUrl(), HTTP_PORT: 'eighty' })).rejects.toThrow(
      /exited with 2[\s\S]*HTTP_PORT: Expected integer \(got "eighty"/,
    );
  });

  it.each([
    ['malformed JSON', '{"v":1,', 'application/json', 'e2e-key', 400, 'INVALID_JSON'],
    ['a beacon that breaks the schema', { v: 1, view_id: 'x', events: [] }, 'application/json', 'e2e-key', 400, 'INVALID_BEACON'],
    ['an unknown key', { v: 1, view_id: 'x', events: [] }, 'application/json', 'nope', 401, 'UNKNOWN_KEY'],
    ['a form body', 'a=b', 'application/x-www-form-urlencoded', 'e2e-key', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('rejects %s with a precise error and stores nothing', async (_name, body, type, key, status, code) => {
    const before = await storedBeacons();
    const response = await post(body, type, key);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code });
    expect(await storedBeacons()).toBe(before);
  });
});
