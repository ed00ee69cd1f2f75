import { Type, type Static } from '@sinclair/typebox';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { connectJetStream, type JetStreamConnection } from '../connection';
import type { DeadLetter } from '../dead-letter';
import { ensureStreams } from '../provisioning';
import { publishJson } from '../publisher';
import { DurableWorker } from './durable-worker';
import type { Delivery, DurableWorkerOptions, HeldBatch } from './worker-options';

const ItemSchema = Type.Object({ n: Type.Integer() });
type Item = Static<typeof ItemSchema>;
const ACK_WAIT_MS = 2000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('DurableWorker against a real JetStream', () => {
  let conn: JetStreamConnection;
  let ns: string;
  const workers: DurableWorker<typeof ItemSchema>[] = [];

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'durable-worker-test' });
    ns = uniqueNamespace();
    await ensureStreams(
      conn,
      [
        { name: `${ns}-in`, subjects: [`${ns}.in.>`], description: 'worker input' },
        { name: `${ns}-dead`, subjects: [`${ns}.dead.>`], description: 'dead letters' },
      ],
      { maxAgeMs: 600_000, duplicateWindowMs: 60_000 },
    );
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await deleteNamespace(conn, ns);
    await conn.drain();
  });

  function worker(options: Partial<DurableWorkerOptions<typeof ItemSchema>> & Pick<DurableWorkerOptions<typeof ItemSchema>, 'handle'>): DurableWorker<typeof ItemSchema> {
    const w = new DurableWorker({
      connection: conn,
      stream: `${ns}-in`,
      filterSubject: `${ns}.in.>`,
      reading: { kind: 'durable', name: 'worker', deadLetterSubject: `${ns}.dead.worker`, ackWaitMs: ACK_WAIT_MS },
      schema: ItemSchema,
      batchSize: 10,
      backoff: { baseMs: 50, maxMs: 400 },
      logger: silent,
      ...options,
    });
    workers.push(w);
    return w;
  }

  async function publish(from: number, to: number, subject = 'a'): Promise<void> {
    for (let n = from; n <= to; n++) await publishJson(conn, { subject: `${ns}.in.${subject}`, payload: { n }, msgId: `${subject}:${n}` });
  }

  const consumerState = () => conn.consumerState(`${ns}-in`, 'worker');

  it('hands every valid message over in stream order, then acknowledges it, and says it caught up', async () => {
    await publish(1, 25);
    const seen: Delivery<Item>[] = [];
    const w = worker({ handle: (batch) => void seen.push(...batch) });
    await w.start();
    await until(async () => (await consumerState()).ackFloor === 25);
    expect(seen.map((d) => d.value.n)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(seen.every((d) => d.deliveryCount === 1 && d.subject === `${ns}.in.a`)).toBe(true);
    expect(w.caughtUp).toBe(true);
    expect(await w.backlog()).toBe(0);
  });

  it('holds a failed batch and retries the same batch with backoff, without a redelivery', async () => {
    await publish(1, 3);
    const attempts: number[][] = [];
    const held: HeldBatch[] = [];
    const w = worker({
      handle: (batch) => {
        attempts.push(batch.map((d) => d.value.n));
        if (attempts.length <= 3) throw new Error('sink down');
      },
      hooks: { onHeld: (h) => held.push(h) },
    });
    await w.start();
    await until(async () => (await consumerState()).ackFloor === 3);
    expect(attempts).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(held.map((h) => [h.attempt, h.delayMs, h.error.message, h.messages])).toEqual([
      [1, 50, 'sink down', 3],
      [2, 100, 'sink down', 3],
      [3, 200, 'sink down', 3],
    ]);
    expect((await consumerState()).redelivered).toBe(0);
  });

  it('keeps a batch failing for longer than the ack wait ours: never acknowledged, never redelivered', async () => {
    await publish(1, 2);
    let failing = true;
    const counts: number[] = [];
    const w = worker({
      handle: (batch) => {
        counts.push(...batch.map((d) => d.deliveryCount));
        if (failing) throw new Error('sink down');
      },
      backoff: { baseMs: 100, maxMs: 100 },
    });
    await w.start();
    await new Promise((r) => setTimeout(r, ACK_WAIT_MS * 1.5));
    let info = await consumerState();
    expect(info).toMatchObject({ ackPending: 2, redelivered: 0, ackFloor: 0 });
    failing = false;
    await until(async () => (await consumerState()).ackFloor === 2);
    info = await consumerState();
    expect(info.redelivered).toBe(0);
    expect(new Set(counts)).toEqual(new Set([1]));
  });

  it('dead-letters an invalid payload, acknowledges it, and never gives it to the handler', async () => {
    await publish(1, 1);
    await conn.publish(`${ns}.in.a`, '{"n":"two"}', { msgId: 'bad' });
    await conn.publish(`${ns}.in.a`, '{not json', { msgId: 'worse' });
    await publish(3, 3);
    const seen: number[] = [];
    const outcomes: number[] = [];
    const w = worker({ handle: (batch) => void seen.push(...batch.map((d) => d.value.n)), hooks: { onHandled: (o) => outcomes.push(o.invalid) } });
    await w.start();
    await until(async () => (await consumerState()).ackFloor === 4);
    expect(seen).toEqual([1, 3]);
    expect(outcomes.reduce((a, b) => a + b, 0)).toBe(2);
    const letters: DeadLetter[] = [];
    for await (const m of await conn.read({ stream: `${ns}-dead`, from: 'start' })) {
      if (letters.push(m.json<DeadLetter>()) === 2) break;
    }
    expect(letters).toEqual([
      expect.objectContaining({ consumer: 'worker', stream: `${ns}-in`, stream_seq: 2, reason: 'invalid_payload', payload: '{"n":"two"}', error: expect.stringMatching(/\/n/) }),
      expect.objectContaining({ stream_seq: 3, reason: 'invalid_payload', payload: '{not json', error: expect.stringMatching(/^not JSON/) }),
    ]);
  });

  it('stops without loss: the batch in hand is finished and acknowledged, a held batch is handed back to the next worker', async () => {
    await publish(1, 5);
    let release: () => void = () => undefined;
    const inHand = new Promise<void>((resolve) => (release = resolve));
    const first: number[] = [];
    const slow = worker({
      batchSize: 5,
      handle: async (batch) => {
        first.push(...batch.map((d) => d.value.n));
        await inHand;
      },
    });
    await slow.start();
    await until(() => first.length === 5);
    const stopped = slow.stop();
    release();
    await stopped;
    // Acknowledgements are not confirmed one by one: the server counts them shortly after.
    await until(async () => (await consumerState()).ackFloor === 5);
    expect(first).toEqual([1, 2, 3, 4, 5]);

    await publish(6, 8);
    const failing = worker({
      handle: () => {
        throw new Error('sink down');
      },
    });
    await failing.start();
    await until(async () => (await consumerState()).ackPending === 3);
    await failing.stop();
    expect((await consumerState()).ackFloor).toBe(5);

    const second: Delivery<Item>[] = [];
    await worker({ handle: (batch) => void second.push(...batch) }).start();
    await until(async () => (await consumerState()).ackFloor === 8);
    expect(second.map((d) => [d.value.n, d.deliveryCount])).toEqual([
      [6, 2],
      [7, 2],
      [8, 2],
    ]);
  });

  it('replays the stream into memory from the start, or the last message of each subject, and says when it caught up', async () => {
    await publish(1, 3, 'a');
    await publish(4, 5, 'b');
    const all: number[] = [];
    const fromStart = worker({ reading: { kind: 'replay', from: 'start' }, handle: (batch) => void all.push(...batch.map((d) => d.value.n)) });
    const latest: number[] = [];
    const lastPerSubject = worker({ reading: { kind: 'replay', from: 'last-per-subject' }, handle: (batch) => void latest.push(...batch.map((d) => d.value.n)) });
    await Promise.all([fromStart.start(), lastPerSubject.start()]);
    await until(() => fromStart.caughtUp && lastPerSubject.caughtUp);
    expect(all).toEqual([1, 2, 3, 4, 5]);
    expect(latest).toEqual([3, 5]);

    await publish(6, 6, 'a');
    await until(() => all.length === 6 && latest.length === 3);
    expect(latest).toEqual([3, 5, 6]);
    await expect(conn.consumerState(`${ns}-in`, 'worker')).rejects.toThrow(/consumer not found/);
  });

  it('is caught up at once on an empty stream', async () => {
    const w = worker({ reading: { kind: 'replay', from: 'start' }, handle: () => undefined });
    await w.start();
    expect(w.caughtUp).toBe(true);
  });
});
