// `npm run bench:transport`: raw JetStream consume+ack with the bare client versus the partitioned
// exactly-once processor (keyed state, checkpoints, outputs) on the same messages, same run.
// Options: BENCH_MESSAGES (200000), BENCH_PARTITIONS (8), BENCH_OUTPUT_EVERY (20: one output per
// that many inputs), NATS_URL. Prints JSON and a short table.
import { Type } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import { ChangelogStore, connectJetStream, ensureStreams, keyedStage, PartitionedConsumer, type JetStreamConnection } from '@sightline/messaging';
import { createLogger } from '@sightline/runtime';
import { deleteNamespace, rawConsumeAckRate } from '@sightline/test-support';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 8);
const OUTPUT_EVERY = Number(process.env.BENCH_OUTPUT_EVERY ?? 20);
const KEYS = 10_000;
const Input = Type.Object({ key: Type.String(), n: Type.Integer() });

/** Publishes the inputs; resolves with the stream sequence of each partition's last one. */
async function publishInputs(connection: JetStreamConnection, ns: string): Promise<number[]> {
  const body = (i: number) => JSON.stringify({ key: `k${i % KEYS}`, n: i });
  const ends = Array.from({ length: PARTITIONS }, () => 0);
  let window: Promise<unknown>[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const p = (i % KEYS) % PARTITIONS;
    window.push(connection.publish(`${ns}.in.data.p${p}`, body(i)).then((ack) => (ends[p] = Math.max(ends[p]!, ack.seq))));
    if (window.length >= 5000) {
      await Promise.all(window);
      window = [];
    }
  }
  await Promise.all(window);
  return ends;
}

async function transport(connection: JetStreamConnection, ns: string, ends: readonly number[]): Promise<{ rate: number; steadyRate: number; outputs: number }> {
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
    connection,
    [
      { name: `${ns}-in`, subjects: [`${ns}.in.>`], description: 'bench input' },
      { name: `${ns}-out`, subjects: [`${ns}.out.>`, `${ns}.dead.>`], description: 'bench output' },
    ],
    { maxAgeMs: 3600_000 },
  );
  try {
    const ends = await publishInputs(connection, ns);
    // Bare client: one durable per partition, explicit ack of every message, as a plain service would.
    const raw = await rawConsumeAckRate(
      connection,
      `${ns}-in`,
      Array.from({ length: PARTITIONS }, (_, p) => `${ns}.in.*.p${p}`),
    );
    const exactlyOnce = await transport(connection, ns, ends);
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
    await deleteNamespace(connection, ns);
    await connection.drain();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`transport-bench: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
