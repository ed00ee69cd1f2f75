// `npm run bench:transport`: raw JetStream consume+ack with the bare client versus the partitioned
// exactly-once processor (keyed state, checkpoints, outputs) on the same messages, same run.
// Options: BENCH_MESSAGES (200000), BENCH_PARTITIONS (8), BENCH_OUTPUT_EVERY (20: one output per
// that many inputs), NATS_URL. Prints JSON and a short table.
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Type } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import { ChangelogStore, connectJetStream, ensureStreams, keyedStage, PartitionedConsumer, type JetStreamConnection } from '@sightline/messaging';
import { createLogger } from '@sightline/runtime';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 8);
const OUTPUT_EVERY = Number(process.env.BENCH_OUTPUT_EVERY ?? 20);
const KEYS = 10_000;
const Input = Type.Object({ key: Type.String(), n: Type.Integer() });

async function publishInputs(connection: JetStreamConnection, ns: string): Promise<void> {
  const body = (i: number) => JSON.stringify({ key: `k${i % KEYS}`, n: i });
  let window: Promise<unknown>[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    window.push(connection.js.publish(`${ns}.in.data.p${(i % KEYS) % PARTITIONS}`, body(i)));
    if (window.length >= 5000) {
      await Promise.all(window);
      window = [];
    }
  }
  await Promise.all(window);
}

/** Bare client: one durable per partition, explicit ack of every message, as a plain service would. */
async function rawConsumeAck(connection: JetStreamConnection, ns: string): Promise<number> {
  const started = performance.now();
  let total = 0;
  await Promise.all(
    Array.from({ length: PARTITIONS }, async (_, p) => {
      const name = `raw-p${p}`;
      await connection.jsm.consumers.add(`${ns}-in`, {
        durable_name: name,
        filter_subject: `${ns}.in.*.p${p}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_ack_pending: 10_000,
      });
      const info = await connection.jsm.consumers.info(`${ns}-in`, name);
      const expected = info.num_pending;
      const messages = await (await connection.js.consumers.get(`${ns}-in`, name)).consume({ max_messages: 1000 });
      let n = 0;
      for await (const m of messages) {
        JSON.parse(m.string());
        m.ack();
        if (++n >= expected) break;
      }
      total += n;
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function transport(connection: JetStreamConnection, ns: string): Promise<{ rate: number; steadyRate: number; outputs: number }> {
  const input: PartitionedInput = { stream: `${ns}-in`, partitions: PARTITIONS, filter: (p) => `${ns}.in.*.p${p}`, tickSubject: (p) => `${ns}.in.tick.p${p}` };
  let outputs = 0;
  const stage = keyedStage({
    name: 'bench',
    input,
    schema: Input,
    deadLetterSubject: `${ns}.dead.bench`,
    keyOf: (m) => m.key,
    step(s: { count: number; sum: number } | undefined, m, ctx) {
      const state = { count: (s?.count ?? 0) + 1, sum: (s?.sum ?? 0) + m.n };
      if (state.count % OUTPUT_EVERY !== 0) return { state };
      outputs++;
      return { state, outputs: [{ subject: `${ns}.out.p${ctx.partition}`, payload: { key: m.key, ...state } }] };
    },
  });
  const consumer = new PartitionedConsumer({
    connection,
    stage,
    bucketPrefix: ns,
    logger: createLogger('bench', 'warn'),
    hooks: {
      onProcessed: (_outcome, count) => {
        firstAt ||= performance.now();
        lastAt = performance.now();
        processed += count;
      },
    },
  });
  let firstAt = 0;
  let lastAt = 0;
  let processed = 0;
  const ends: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) ends.push((await connection.jsm.streams.getMessage(`${ns}-in`, { last_by_subj: `${ns}.in.data.p${p}` }))!.seq);
  const started = performance.now();
  await consumer.start();
  const store = await ChangelogStore.open(connection, ns, 'bench');
  while (!(await store.positions(PARTITIONS)).every((position, p) => position.seq >= ends[p]!)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  return { rate: MESSAGES / seconds, steadyRate: processed / ((lastAt - firstAt) / 1000), outputs };
}

async function main(): Promise<void> {
  const connection = await connectJetStream({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222', name: 'transport-bench' });
  const ns = `bench${Date.now().toString(36)}`;
  await ensureStreams(
    connection.jsm,
    [
      { name: `${ns}-in`, subjects: [`${ns}.in.>`], description: 'bench input' },
      { name: `${ns}-out`, subjects: [`${ns}.out.>`, `${ns}.dead.>`], description: 'bench output' },
    ],
    { maxAgeMs: 3600_000 },
  );
  try {
    await publishInputs(connection, ns);
    const raw = await rawConsumeAck(connection, ns);
    const exactlyOnce = await transport(connection, ns);
    const result = {
      messages: MESSAGES,
      partitions: PARTITIONS,
      outputEvery: OUTPUT_EVERY,
      nats: connection.serverVersion,
      rawConsumeAckPerSecond: Math.round(raw),
      exactlyOncePerSecond: Math.round(exactlyOnce.rate),
      exactlyOnceSteadyPerSecond: Math.round(exactlyOnce.steadyRate),
      outputs: exactlyOnce.outputs,
      ratio: Number((exactlyOnce.rate / raw).toFixed(3)),
      steadyRatio: Number((exactlyOnce.steadyRate / raw).toFixed(3)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(
      `raw consume+ack: ${result.rawConsumeAckPerSecond} msg/s | exactly-once processor: ${result.exactlyOncePerSecond} msg/s ` +
        `start to last checkpoint (${Math.round(result.ratio * 100)}% of raw), ${result.exactlyOnceSteadyPerSecond} msg/s ` +
        `first to last message (${Math.round(result.steadyRatio * 100)}% of raw)\n`,
    );
  } finally {
    for await (const name of connection.jsm.streams.names()) if (name.startsWith(ns) || name.startsWith(`KV_${ns}`)) await connection.jsm.streams.delete(name);
    await connection.drain();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`transport-bench: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
