import { Type } from '@sinclair/typebox';
import { createTopology, streams, subjects, type Topology } from '@sightline/contracts';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { connectJetStream, type JetStreamConnection } from './connection';
import { DurableWorker, type WorkerLogger } from './durable-worker';
import { ensureDurable, ensureStreams } from './provisioning';
import { outputMsgId, type MessageHandler, type MessagePosition } from './handler';
import { publishJson } from './publisher';

const quiet: WorkerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const Input = Type.Object({ n: Type.Integer() });

describe('DurableWorker against a real JetStream', () => {
  let conn: JetStreamConnection;
  let topology: Topology;

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'durable-worker-test' });
    topology = createTopology(uniqueNamespace(), 2);
    await ensureStreams(conn.jsm, Object.values(streams(topology)), { storage: 'memory', maxAgeMs: 600_000 });
  });

  afterEach(async () => {
    await deleteNamespace(conn.jsm, topology.namespace);
    await conn.drain();
  });

  async function outputs(): Promise<unknown[]> {
    const consumer = await conn.js.consumers.get(streams(topology).views.name);
    const info = await consumer.info();
    const got: unknown[] = [];
    if (info.num_pending === 0) return got;
    const batch = await consumer.fetch({ max_messages: info.num_pending, expires: 2000 });
    for await (const m of batch) {
      got.push(m.json());
      if (got.length === info.num_pending) break;
    }
    return got;
  }

  async function runWorker(handler: MessageHandler<{ n: number }>, until: () => Promise<boolean>) {
    const worker = new DurableWorker({
      js: conn.js,
      stream: streams(topology).events.name,
      durable: 'doubler',
      schema: Input,
      handler,
      deadLetterSubject: subjects.deadLetter(topology, 'doubler'),
      logger: quiet,
    });
    await worker.start();
    const deadline = Date.now() + 10_000;
    while (!(await until())) {
      if (Date.now() > deadline) throw new Error('worker did not finish in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    await worker.stop();
  }

  beforeEach(async () => {
    await ensureDurable(conn.jsm, {
      stream: streams(topology).events.name,
      durable: 'doubler',
      filterSubject: subjects.eventsAll(topology),
      ackWaitMs: 2000,
    });
  });

  async function pending(): Promise<number> {
    const info = await conn.jsm.consumers.info(streams(topology).events.name, 'doubler');
    return info.num_pending + info.num_ack_pending;
  }

  it('emits each output once, even when the handler fails and the message is redelivered', async () => {
    for (let n = 1; n <= 5; n++) {
      await publishJson(conn.js, { subject: subjects.events(topology, n % 2), payload: { n }, msgId: `in-${n}` });
    }
    const failedOnce = new Set<number>();
    await runWorker(
      (p, ctx) => {
        ctx.emit(subjects.viewUpdated(topology, 0), { doubled: p.n * 2 });
        if (p.n === 3 && !failedOnce.has(3)) {
          failedOnce.add(3);
          throw new Error('transient');
        }
      },
      async () => (await pending()) === 0,
    );
    const got = (await outputs()) as { doubled: number }[];
    expect(got.map((g) => g.doubled).sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10]);
  });

  it('dead-letters payloads that fail the schema, with the reason, and moves on', async () => {
    await publishJson(conn.js, { subject: subjects.events(topology, 0), payload: { n: 'x' }, msgId: 'bad' });
    await publishJson(conn.js, { subject: subjects.events(topology, 0), payload: { n: 1 }, msgId: 'good' });
    await runWorker(
      (p, ctx) => ctx.emit(subjects.viewUpdated(topology, 0), { doubled: p.n * 2 }),
      async () => (await pending()) === 0,
    );
    expect(await outputs()).toEqual([{ doubled: 2 }]);
    const dead = await conn.js.consumers.get(streams(topology).dead.name);
    const letter = (await dead.next({ expires: 2000 }))?.json<{ reason: string; error: string; stream_seq: number }>();
    expect(letter).toMatchObject({ reason: 'invalid_payload', stream_seq: 1 });
    expect(letter?.error).toContain('/n');
  });

  it('de-duplicates the outputs of a message processed twice (a crash between publish and ack)', async () => {
    await publishJson(conn.js, { subject: subjects.events(topology, 0), payload: { n: 7 }, msgId: 'seven' });
    let calls = 0;
    await runWorker(
      async (p, ctx) => {
        calls++;
        const output = { doubled: p.n * 2 };
        if (calls === 1) {
          // The first attempt gets as far as storing its output, then dies before the ack.
          const position = ctx as unknown as MessagePosition;
          await publishJson(conn.js, { subject: subjects.viewUpdated(topology, 0), payload: output, msgId: outputMsgId('doubler', position, 0) });
          throw new Error('crash after publish');
        }
        ctx.emit(subjects.viewUpdated(topology, 0), output);
      },
      async () => (await pending()) === 0,
    );
    expect(calls).toBe(2);
    expect(await outputs()).toEqual([{ doubled: 14 }]);
  });
});
