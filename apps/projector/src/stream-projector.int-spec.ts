import { createTopology, streams, subjects, type Topology } from '@sightline/contracts';
import { connectJetStream, ensureStreams, publishJson, CONTROL_HEADER, type DeadLetter, type JetStreamConnection, type StoredMessage } from '@sightline/messaging';
import { COLLECTIONS, InMemoryReadModelStore, scoresProjection } from '@sightline/read-models';
import { createLogger } from '@sightline/runtime';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { Registry } from 'prom-client';
import { ProjectorMetrics } from './projector-metrics';
import { finalScore } from './samples.fixture';
import { StreamProjector } from './stream-projector';

const ACK_WAIT_MS = 2000;

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe('StreamProjector against a real JetStream, with a store that fails and recovers', () => {
  let conn: JetStreamConnection;
  let topology: Topology;
  let registry: Registry;
  let metrics: ProjectorMetrics;
  const running: StreamProjector[] = [];

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'projector-test' });
    topology = createTopology(uniqueNamespace(), 2);
    await ensureStreams(conn, Object.values(streams(topology)), { maxAgeMs: 600_000 });
    registry = new Registry();
    metrics = new ProjectorMetrics(registry);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
    await deleteNamespace(conn, topology.namespace);
    await conn.drain();
  });

  function projector(store: InMemoryReadModelStore, durable = 'projector-scores'): StreamProjector {
    const p = new StreamProjector({
      connection: conn,
      projection: scoresProjection,
      stream: streams(topology).scores.name,
      filterSubject: subjects.scoresFinalAll(topology),
      durable,
      deadLetterSubject: subjects.deadLetter(topology, 'projector'),
      store,
      batchSize: 100,
      fetchExpiresMs: 1000,
      ackWaitMs: ACK_WAIT_MS,
      retry: { baseMs: 50, maxMs: 200 },
      logger: createLogger('projector-test', (process.env.PROJECTOR_TEST_LOG ?? 'silent') as 'silent'),
      metrics,
    });
    running.push(p);
    return p;
  }

  async function publishInputs(): Promise<number> {
    const final = (p: number) => subjects.score(topology, 'final', p);
    await publishJson(conn, { subject: final(0), payload: finalScore('v1', 1, 40), msgId: 'v1:1' });
    await publishJson(conn, { subject: final(1), payload: finalScore('v2', 1), msgId: 'v2:1' });
    await publishJson(conn, { subject: final(0), payload: finalScore('v1', 2, 60), msgId: 'v1:2' });
    await publishJson(conn, { subject: subjects.score(topology, 'live', 0), payload: { ...finalScore('v3', 1), kind: 'live' }, msgId: 'v3:live' });
    await publishJson(conn, { subject: final(1), payload: { not: 'a score' }, msgId: 'bad' });
    await conn.publish(final(0), new Uint8Array(0), { headers: { [CONTROL_HEADER]: 'tick' }, msgId: 'tick' });
    return 5; // messages the final-score filter selects
  }

  it('acknowledges nothing while the store fails, keeps the batch without redelivery, and writes everything once when it recovers', async () => {
    const selected = await publishInputs();
    const store = new InMemoryReadModelStore();
    store.failWith = new Error('MongoDB down');
    const p = projector(store);
    await p.start();

    // Failing for longer than the ack wait: the batch is held (working), never acknowledged nor redelivered.
    await new Promise((r) => setTimeout(r, ACK_WAIT_MS * 1.5));
    expect(store.calls.length).toBeGreaterThan(3);
    let state = await conn.consumerState(streams(topology).scores.name, 'projector-scores');
    expect(state.ackFloor).toBe(0);
    expect(state.ackPending).toBe(selected);
    expect(state.redelivered).toBe(0);
    expect(store.count(COLLECTIONS.views)).toBe(0);
    expect(p.status()).toMatchObject({ failedAttempts: expect.any(Number), lastError: 'MongoDB down', lastWriteAt: null });

    store.failWith = undefined;
    await until(async () => (await conn.consumerState(streams(topology).scores.name, 'projector-scores')).ackPending === 0);
    state = await conn.consumerState(streams(topology).scores.name, 'projector-scores');
    expect(state.pending).toBe(0);
    expect(store.count(COLLECTIONS.views)).toBe(2);
    expect(store.get(COLLECTIONS.views, 'demo/v1')).toMatchObject({ revision: 2, overall_score: 60 });
    expect(await counterValue(registry, 'projector_documents_written_total', { collection: 'views' })).toBe(2);
    expect(await counterValue(registry, 'projector_messages_invalid_total', { input: 'scores' })).toBe(1);
    expect(await counterValue(registry, 'projector_messages_ignored_total', { input: 'scores' })).toBe(1);
    expect(p.status()).toMatchObject({ failedAttempts: 0, lastError: null });

    let stored: StoredMessage | undefined;
    for await (const m of await conn.read({ stream: streams(topology).dead.name, from: 'start' })) {
      stored = m;
      break;
    }
    expect(stored!.json<DeadLetter>()).toMatchObject({ consumer: 'projector-scores', reason: 'invalid_payload', payload: '{"not":"a score"}' });
    expect(stored!.subject).toBe(subjects.deadLetter(topology, 'projector'));
  });

  it('writes nothing twice when the stream is replayed from the start', async () => {
    await publishInputs();
    const store = new InMemoryReadModelStore();
    await projector(store).start();
    await until(() => store.count(COLLECTIONS.views) === 2 && store.get(COLLECTIONS.views, 'demo/v1')?.revision === 2);

    await projector(store, 'projector-scores-replay').start();
    await until(async () => (await counterValue(registry, 'projector_documents_unchanged_total', { collection: 'views' })) === 2);
    expect(await counterValue(registry, 'projector_documents_written_total', { collection: 'views' })).toBe(2);
    expect(store.get(COLLECTIONS.views, 'demo/v1')).toMatchObject({ revision: 2, overall_score: 60 });
  });
});
