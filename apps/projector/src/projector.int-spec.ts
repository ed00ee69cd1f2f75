import { createTopology, streams, subjects } from '@sightline/contracts';
import { connectJetStream, ensureStreams, publishJson, type JetStreamConnection } from '@sightline/messaging';
import { runService, type RunningService } from '@sightline/service-kit';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { projectorService } from './projector.definition';
import { finalScore } from './samples.fixture';

/** A projector in a namespace of its own, with one final score already waiting in the stream. */
function projectorWithBacklog(partition: number, env: Record<string, string>) {
  const running: { conn?: JetStreamConnection; service?: RunningService } = {};
  const namespace = uniqueNamespace();
  beforeAll(async () => {
    running.conn = await connectJetStream({ servers: natsUrl(), name: 'projector-service-test' });
    const topology = createTopology(namespace, 2);
    await ensureStreams(running.conn, Object.values(streams(topology)), { maxAgeMs: 600_000 });
    await publishJson(running.conn, { subject: subjects.score(topology, 'final', partition), payload: finalScore('v1', 1), msgId: 'v1:1' });
    running.service = await runService(projectorService, {
      NATS_URL: natsUrl(),
      HTTP_PORT: '0',
      SIGHTLINE_NAMESPACE: namespace,
      SIGHTLINE_PARTITIONS: '2',
      LOG_LEVEL: 'silent',
      ...env,
    });
  });
  afterAll(async () => {
    await running.service?.close();
    await deleteNamespace(running.conn!, namespace);
    await running.conn!.drain();
  });
  return { namespace, running };
}

describe('the projector service without MONGO_URL', () => {
  const { namespace, running } = projectorWithBacklog(0, { SIGHTLINE_STREAM_MAX_AGE_HOURS: '1' });

  it('is ready (NATS is what readiness requires) and reports MongoDB as not configured', async () => {
    const ready = await fetch(`${running.service!.url}/readyz`);
    expect(ready.status).toBe(200);
    const status = await (await fetch(`${running.service!.url}/v1/projector/status`)).json();
    expect(status).toMatchObject({
      mongo: { state: 'not_configured', database: 'sightline' },
      inputs: { scores: { lag: 1, failedAttempts: 0 }, aggregates: { lag: 0 }, alerts: { lag: 0 } },
    });
  });

  it('keeps the backlog in the stream and shows it as lag in the metrics', async () => {
    const metrics = await (await fetch(`${running.service!.url}/metrics`)).text();
    expect(metrics).toMatch(/projector_consumer_lag_messages\{input="scores",service="projector"\} 1/);
    expect(metrics).toMatch(/projector_mongo_up\{service="projector"\} 0/);
    const state = await running.conn!.consumerState(`${namespace}-scores`, 'projector-scores');
    expect(state.pending).toBe(1);
  });
});

describe('the projector service with MongoDB unreachable', () => {
  // Nothing listens on port 1: every MongoDB operation fails after server selection (5 s).
  const { namespace, running } = projectorWithBacklog(1, { MONGO_URL: 'mongodb://127.0.0.1:1/?directConnection=true' });

  it('stays ready, holds the batch unacknowledged and says MongoDB is unreachable', async () => {
    expect((await fetch(`${running.service!.url}/readyz`)).status).toBe(200);
    const deadline = Date.now() + 20_000;
    type Status = { mongo: { state: string }; inputs: Record<string, { failedAttempts: number; lastError: string | null }> };
    let status: Status;
    do {
      await new Promise((r) => setTimeout(r, 250));
      status = (await (await fetch(`${running.service!.url}/v1/projector/status`)).json()) as Status;
    } while ((status.mongo.state !== 'unreachable' || status.inputs.scores!.failedAttempts === 0) && Date.now() < deadline);
    expect(status.mongo.state).toBe('unreachable');
    expect(status.inputs.scores!.failedAttempts).toBeGreaterThan(0);
    expect(status.inputs.scores!.lastError).toEqual(expect.any(String));
    const state = await running.conn!.consumerState(`${namespace}-scores`, 'projector-scores');
    expect(state.ackFloor).toBe(0);
    expect(state.ackPending).toBe(1);
    expect((await fetch(`${running.service!.url}/readyz`)).status).toBe(200);
  }, 30_000);
});
