import {
  createTopology,
  partitionOf,
  streams,
  subjects,
  type PredictionError,
  type ProgressPrediction,
  type ScoredView,
  type StartPrediction,
  type Topology,
} from '@sightline/contracts';
import { connectJetStream, ensureStreams, publishJson, type JetStreamConnection } from '@sightline/messaging';
import { runService, serviceConfigSchema, serviceModule, type RunningService, type ServiceDefinition } from '@sightline/service-kit';
import { deleteNamespace, natsClientsOf, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { PREDICTIONS_CONFIG } from './predictions.config';
import { PredictionResponder } from './predictions.responder';
import { predictionsStage } from './predictions.stage';

const ConfigSchema = serviceConfigSchema(0, PREDICTIONS_CONFIG);
/** The predictor's prediction half, as the predictor's definition wires it. */
const predictionsOnly: ServiceDefinition<typeof ConfigSchema> = {
  name: 'anomaly-predictor',
  configSchema: ConfigSchema,
  module: (context) => serviceModule(context, { providers: [PredictionResponder] }),
  stages: (context) => [predictionsStage(context)],
};

function finalScore(viewId: string, cdn: string, outcome: { ebvs: boolean; startupMs: number; stalls: number }): ScoredView {
  return {
    v: 1,
    view_id: viewId,
    property_id: 'shop',
    kind: 'final',
    revision: 3,
    score_version: 'sightline-qoe/1',
    scored_at_event_time: Date.UTC(2026, 0, 1, 12),
    context: { cdn, video_title: 'Sintel', stream_type: 'vod' },
    client: { country: 'NO', asn: 2119, device_type: 'desktop' },
    metrics: {
      startup_time_ms: outcome.ebvs ? null : outcome.startupMs,
      started: !outcome.ebvs,
      exited_before_start: outcome.ebvs,
      start_failed: false,
      playback_failed: false,
      watch_time_ms: outcome.ebvs ? 8000 : 120_000,
      playing_time_ms: outcome.ebvs ? 0 : 110_000,
      rebuffer_count: outcome.stalls,
      rebuffer_duration_ms: outcome.stalls * 2000,
      rebuffer_percentage: 0,
      weighted_average_bitrate_bps: outcome.ebvs ? null : 3_000_000,
      max_upscale: 0,
      average_upscale: 0,
      request_throughput_bps: outcome.ebvs ? null : cdn === 'good' ? 12_000_000 : 2_000_000,
    },
    scores: { playback_success: 100, startup_time: 90, smoothness: 100, video_quality: 100, overall: 90 },
  };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('predictions in the anomaly-predictor', () => {
  const namespace = uniqueNamespace();
  let conn: JetStreamConnection;
  let topology: Topology;
  let service: RunningService;
  const request = async <T = StartPrediction>(kind: 'start' | 'progress', body: unknown): Promise<T> => {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    const reply = await conn.request(subjects.predictionRequest(topology, kind), data, 5000);
    return JSON.parse(new TextDecoder().decode(reply)) as T;
  };
  const publishViews = async (from: number, count: number, cdn: string, outcome: (i: number) => { ebvs: boolean; startupMs: number; stalls: number }) => {
    for (let i = from; i < from + count; i++) {
      const viewId = `${cdn}-${i}`;
      await publishJson(conn, { subject: subjects.score(topology, 'final', partitionOf(topology, viewId)), payload: finalScore(viewId, cdn, outcome(i)), msgId: viewId });
    }
  };

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'predictions-test' });
    topology = createTopology(namespace, 2);
    await ensureStreams(conn, Object.values(streams(topology)), { maxAgeMs: 600_000 });
    service = await runService(predictionsOnly, {
      NATS_URL: natsUrl(),
      HTTP_PORT: '0',
      SIGHTLINE_NAMESPACE: namespace,
      SIGHTLINE_PARTITIONS: '2',
      SIGHTLINE_TICK_INTERVAL_MS: '200',
      PREDICTIONS_PUBLISH_MS: '300',
      LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    await service?.close();
    await deleteNamespace(conn, namespace);
    await conn.drain();
  });

  it('answers before any view with the initial assumptions and no evidence', async () => {
    const answer = await request('start', { property_id: 'shop', context: { cdn: 'good' } });
    expect(answer).toMatchObject({ v: 1, property_id: 'shop', model_at: null, evidence: { views: 0 } });
  });

  it('learns completed views, publishes partial models per partition, and its answers move with the data', async () => {
    await publishViews(0, 80, 'good', () => ({ ebvs: false, startupMs: 700, stalls: 0 }));
    await publishViews(0, 80, 'bad', (i) => ({ ebvs: i % 2 === 0, startupMs: 6000, stalls: i % 4 === 1 ? 3 : 0 }));
    const start = (cdn: string) => request('start', { property_id: 'shop', context: { cdn, asn: 2119, country: 'NO', device_type: 'desktop', title: 'Sintel' } });
    const good = await until(async () => {
      const answer = await start('good');
      return answer.evidence.views >= 159.5 ? answer : undefined;
    });
    const bad = await start('bad');
    expect(good.evidence.cohorts).toMatchObject({ cdn: expect.closeTo(80, 0), 'cdn+asn': expect.closeTo(80, 0) });
    expect(bad.exit_before_start_risk.value).toBeGreaterThan(0.35);
    expect(good.exit_before_start_risk.value).toBeLessThan(0.1);
    expect(bad.startup_time_ms.value).toBeGreaterThan(3 * good.startup_time_ms.value);
    expect(bad.start_bitrate_bps.value).toBeLessThan(good.start_bitrate_bps.value);
    expect(bad.stall_risk.value).toBeGreaterThan(good.stall_risk.value);

    const info = await natsClientsOf(conn).jsm.streams.info(streams(topology).predictions.name, { subjects_filter: '>' });
    expect(Object.keys(info.state.subjects ?? {}).sort()).toEqual([0, 1].map((p) => subjects.predictionModel(topology, 'shop', p)));

    const progress = (cdn: string, rebuffer_count: number) =>
      request<ProgressPrediction>('progress', { property_id: 'shop', context: { cdn }, progress: { watch_time_ms: 60_000, rebuffer_count } });
    const calm = await progress('good', 0);
    const stalling = await progress('bad', 2);
    expect(calm).toMatchObject({ v: 1, horizon_ms: 30_000 });
    expect(stalling.stall_soon_risk.value).toBeGreaterThan(calm.stall_soon_risk.value);
  }, 30_000);

  it.each([
    ['not JSON', 'start', '{nope', 'INVALID_JSON', /not JSON/],
    ['without a property', 'start', { context: {} }, 'INVALID_REQUEST', /property_id/],
    ['with a bad country', 'start', { property_id: 'shop', context: { country: 'norway' } }, 'INVALID_REQUEST', /\/context\/country/],
    ['without progress', 'progress', { property_id: 'shop', context: {} }, 'INVALID_REQUEST', /progress/],
  ] as const)('answers a request %s with a precise error', async (_name, kind, body, code, message) => {
    const answer = await request<PredictionError>(kind, body);
    expect(answer).toEqual({ error: { code, message: expect.stringMatching(message) } });
  });
});
