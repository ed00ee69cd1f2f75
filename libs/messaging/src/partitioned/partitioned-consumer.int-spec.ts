import { Type } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { connectJetStream, type JetStreamConnection } from '../connection';
import type { DeadLetter } from '../dead-letter';
import { ensureStreams } from '../provisioning';
import { publishJson } from '../publisher';
import { keyedStage, statelessStage, type Stage } from '../stage/stage';
import { ChangelogStore } from './changelog-store';
import { PartitionedConsumer } from './partitioned-consumer';
import { natsClients } from '../port/nats-clients';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const Input = Type.Object({ key: Type.String(), n: Type.Integer() });
type In = { key: string; n: number };

describe('PartitionedConsumer against a real JetStream', () => {
  let conn: JetStreamConnection;
  let ns: string;
  let input: PartitionedInput;
  const consumers: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'partitioned-consumer-test' });
    ns = uniqueNamespace();
    input = { stream: `${ns}-in`, partitions: 4, filter: (p) => `${ns}.in.*.p${p}`, tickSubject: (p) => `${ns}.in.tick.p${p}` };
    await ensureStreams(
      conn,
      [
        { name: `${ns}-in`, subjects: [`${ns}.in.>`], description: 'input' },
        { name: `${ns}-out`, subjects: [`${ns}.out.>`, `${ns}.dead.>`], description: 'outputs and dead letters' },
      ],
      { maxAgeMs: 600_000 },
    );
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await deleteNamespace(conn, ns);
    await conn.drain();
  });

  /** The fields every test stage shares: group `g`, its dead letters, fast checkpoints and ticks. */
  const common = (tickIntervalMs = 100) => ({
    name: 'g',
    input,
    schema: Input,
    deadLetterSubject: `${ns}.dead.g`,
    tuning: { checkpointIntervalMs: 50, tickIntervalMs },
  });

  function start<S>(stage: Stage<typeof Input, S>): PartitionedConsumer<typeof Input, S> {
    const consumer = new PartitionedConsumer<typeof Input, S>({ connection: conn, stage, bucketPrefix: ns, logger: quiet, leaseTtlMs: 1500 });
    consumers.push(consumer);
    return consumer;
  }

  const send = (p: number, payload: unknown, id: string) => publishJson(conn, { subject: `${ns}.in.data.p${p}`, payload, msgId: id });

  async function read<T>(filter: string, count: number, timeoutMs = 10_000): Promise<T[]> {
    const consumer = await natsClients(conn).js.consumers.get(`${ns}-out`, { filter_subjects: filter });
    const out: T[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < deadline) {
      const batch = await consumer.fetch({ max_messages: count - out.length, expires: 1000 });
      for await (const m of batch) out.push(m.json<T>());
    }
    return out;
  }

  it('dead-letters bad payloads and failing messages with the reason, and the partition moves on', async () => {
    let attempts = 0;
    await start(
      statelessStage({
        ...common(),
        step(m, ctx) {
          if (m.n === 13) {
            attempts++;
            throw new Error('unlucky');
          }
          return [{ subject: `${ns}.out.p${ctx.partition}`, payload: { n: m.n } }];
        },
      }),
    ).start();
    await send(0, { key: 'a', n: 1 }, 'm1');
    await send(0, { key: 'a', n: 'x' }, 'm2');
    await send(0, { key: 'a', n: 13 }, 'm3');
    await send(0, { key: 'a', n: 2 }, 'm4');
    expect((await read<{ n: number }>(`${ns}.out.>`, 2)).map((o) => o.n)).toEqual([1, 2]);
    const dead = await read<DeadLetter>(`${ns}.dead.>`, 2);
    expect(dead.map((d) => [d.reason, d.stream_seq])).toEqual([
      ['invalid_payload', 2],
      ['handler_failed', 3],
    ]);
    expect(dead[0]!.error).toContain('/n');
    expect(dead[1]!.error).toContain('unlucky');
    expect(JSON.parse(dead[1]!.payload)).toEqual({ key: 'a', n: 13 });
    expect(attempts).toBe(3);
  });

  it('applies a step only when it returns: a state changed in place by a step that threw is replayed from the checkpoint', async () => {
    let failuresLeft = 2;
    await start(
      keyedStage({
        ...common(),
        keyOf: (m: In) => m.key,
        step: (state: { total: number; seen: number[] } | undefined, m) => {
          const next = state ?? { total: 0, seen: [] };
          next.total += m.n;
          next.seen.push(m.n);
          if (m.n === 13 && failuresLeft > 0) {
            failuresLeft--;
            throw new Error('after changing the state');
          }
          return { state: next, outputs: [{ subject: `${ns}.out.total`, payload: { n: m.n, total: next.total, seen: [...next.seen] } }] };
        },
      }),
    ).start();
    await send(2, { key: 'k', n: 1 }, 'c1');
    await send(2, { key: 'k', n: 13 }, 'c2');
    await send(2, { key: 'k', n: 2 }, 'c3');
    expect(await read(`${ns}.out.total`, 3)).toEqual([
      { n: 1, total: 1, seen: [1] },
      { n: 13, total: 14, seen: [1, 13] },
      { n: 2, total: 16, seen: [1, 13, 2] },
    ]);
    expect(failuresLeft).toBe(0);
    expect(await read(`${ns}.dead.>`, 1, 1000)).toEqual([]);
  });

  it('restores keyed state and timers from the checkpoint when the partition restarts', async () => {
    const counter = keyedStage({
      ...common(),
      keyOf: (m: In) => m.key,
      step: (state: { count: number } | undefined, m, ctx) => {
        const count = (state?.count ?? 0) + 1;
        return { state: { count }, timer: ctx.now + 300, outputs: [{ subject: `${ns}.out.count`, payload: { key: m.key, count } }] };
      },
      onTimer: (state, ctx) => ({ state, outputs: [{ subject: `${ns}.out.quiet`, payload: { key: ctx.key, count: state?.count } }] }),
    });
    const first = start(counter);
    await first.start();
    for (let i = 0; i < 3; i++) await send(1, { key: 'k', n: i }, `a${i}`);
    expect((await read<{ count: number }>(`${ns}.out.count`, 3)).map((o) => o.count)).toEqual([1, 2, 3]);
    await first.stop();
    consumers.splice(consumers.indexOf(first), 1);

    await start(counter).start();
    await send(1, { key: 'k', n: 9 }, 'b0');
    expect((await read<{ count: number }>(`${ns}.out.count`, 4)).map((o) => o.count)).toEqual([1, 2, 3, 4]);
    // The timer set by the last message fires once partition time passes it (ticks carry time).
    expect(await read(`${ns}.out.quiet`, 1)).toEqual([{ key: 'k', count: 4 }]);
    const saved = await (await ChangelogStore.open<{ count: number }>(conn, ns, 'g')).load(1);
    expect(saved.records.get('k')?.state).toEqual({ count: 4 });
  });

  it('handles a message whose own key had a timer fall due just before it', async () => {
    // No ticks: partition time moves with messages only, so the timer fires as message 2 arrives.
    await start(
      keyedStage({
        ...common(0),
        keyOf: (m: In) => m.key,
        step: (state: { count: number } | undefined, m, ctx) => {
          const count = (state?.count ?? 0) + 1;
          return { state: { count }, timer: ctx.now + 100, outputs: [{ subject: `${ns}.out.count`, payload: { n: m.n, count } }] };
        },
        onTimer: (state) => ({ state, outputs: [{ subject: `${ns}.out.timer`, payload: { count: state?.count } }] }),
      }),
    ).start();
    await send(1, { key: 'a', n: 1 }, 'a1');
    await new Promise((r) => setTimeout(r, 400));
    await send(1, { key: 'a', n: 2 }, 'a2');
    expect(await read<{ n: number; count: number }>(`${ns}.out.count`, 2)).toEqual([
      { n: 1, count: 1 },
      { n: 2, count: 2 },
    ]);
    expect(await read<{ count: number }>(`${ns}.out.timer`, 1)).toEqual([{ count: 1 }]);
  });

  it('shares the partitions between instances, each owned by exactly one', async () => {
    const stage = statelessStage({ ...common(), step: () => [] });
    const a = start(stage);
    const b = start(stage);
    await a.start();
    await b.start();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(a.owned().length === 2 && b.owned().length === 2)) await new Promise((r) => setTimeout(r, 100));
    expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3]);
    await b.stop();
    consumers.splice(consumers.indexOf(b), 1);
    while (Date.now() < deadline + 5000 && a.owned().length < 4) await new Promise((r) => setTimeout(r, 100));
    expect(a.owned()).toEqual([0, 1, 2, 3]);
  });
});
