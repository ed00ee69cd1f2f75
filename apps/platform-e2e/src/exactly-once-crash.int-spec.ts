import { connectJetStream, type JetStreamConnection } from '@sightline/messaging';
import { deleteNamespace, natsUrl, NatsServerProcess, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { lastSeqs, outputs, positions, publishInputs, referenceRun, savedStates, waitUntil, type SumTopology } from './fixtures/crash-harness';
import { sumTopology } from './fixtures/keyed-sum';

const WORKER = 'dist/apps/platform-e2e/src/fixtures/keyed-sum-worker.js';
const PARTITIONS = 6;

/** Output payloads of a run without the run's name in the subject, sorted. */
const normalise = (lines: string[], run: string) => lines.map((l) => l.replace(`.out.${run}.`, '.out.RUN.')).sort();

async function expectSameAsUninterrupted(conn: JetStreamConnection, namespace: string, topology: SumTopology) {
  await referenceRun(conn, namespace, topology);
  const crashy = await outputs(conn, `${namespace}-out`, `${namespace}.out.crashy.>`);
  const reference = await outputs(conn, `${namespace}-out`, `${namespace}.out.ref.>`);
  expect(crashy.length).toBeGreaterThan(0);
  if (crashy.length !== reference.length) {
    const a = normalise(crashy, 'crashy');
    const b = new Map<string, number>();
    for (const l of normalise(reference, 'ref')) b.set(l, (b.get(l) ?? 0) + 1);
    const extra = a.filter((l) => {
      const n = b.get(l) ?? 0;
      if (n > 0) { b.set(l, n - 1); return false; }
      return true;
    });
    process.stderr.write(`extra in crashy run: ${extra.join('\n')}\nmissing: ${[...b].filter(([, n]) => n > 0).map(([l]) => l).join('\n')}\n`);
  }
  expect(crashy.length).toBe(reference.length);
  expect(normalise(crashy, 'crashy')).toEqual(normalise(reference, 'ref'));
  expect(await savedStates(conn, namespace, 'sum', PARTITIONS)).toEqual(await savedStates(conn, namespace, 'ref', PARTITIONS));
  return crashy.length;
}

describe('exactly-once under crashes (separate processes, real NATS)', () => {
  it('gives the outputs and state of an uninterrupted run while workers are SIGKILLed at random', async () => {
    const namespace = uniqueNamespace('eo');
    const conn = await connectJetStream({ servers: natsUrl(), name: 'exactly-once-crash' });
    const topology = sumTopology(namespace, PARTITIONS);
    const env = { SUM_NATS_URL: natsUrl(), SUM_NAMESPACE: namespace, SUM_PARTITIONS: String(PARTITIONS), SUM_LEASE_TTL_MS: '1500' };
    const workers: ServiceProcess[] = [];
    try {
      await publishInputs(conn, topology, 200_000, 3000);
      const ends = await lastSeqs(conn, topology);
      for (let i = 0; i < 2; i++) workers.push(await ServiceProcess.startScript(WORKER, `worker-${i}`, env));
      let kills = 0;
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const done = async () => (await positions(conn, namespace, 'sum', PARTITIONS)).every((seq, p) => seq >= ends[p]!);
      while (!(await done()) && kills < 20) {
        await new Promise((r) => setTimeout(r, 300 + random() * 900));
        const victim = Math.floor(random() * workers.length);
        await workers[victim]!.kill();
        kills++;
        workers[victim] = await ServiceProcess.startScript(WORKER, `worker-${victim}`, env);
      }
      await waitUntil(done, 60_000, 'all input processed');
      await Promise.all(workers.map((w) => w.stop()));
      expect(kills).toBeGreaterThanOrEqual(5);
      const count = await expectSameAsUninterrupted(conn, namespace, topology);
      process.stdout.write(`crash test: 200000 inputs, ${kills} SIGKILLs, ${count} outputs identical to the uninterrupted run\n`);
    } finally {
      await Promise.all(workers.map((w) => w.kill()));
      await deleteNamespace(conn.jsm, namespace);
      await conn.drain();
    }
  }, 240_000);

  it('survives a NATS restart, an instance added and one removed, with the same result', async () => {
    const server = await NatsServerProcess.start();
    const namespace = uniqueNamespace('eo');
    let conn = await connectJetStream({ servers: server.url, name: 'exactly-once-restart' });
    const topology = sumTopology(namespace, PARTITIONS);
    const env = { SUM_NATS_URL: server.url, SUM_NAMESPACE: namespace, SUM_PARTITIONS: String(PARTITIONS), SUM_LEASE_TTL_MS: '1500' };
    const workers: ServiceProcess[] = [];
    try {
      await publishInputs(conn, topology, 100_000, 2000);
      const ends = await lastSeqs(conn, topology);
      const progress = async () => (await positions(conn, namespace, 'sum', PARTITIONS)).reduce((a, b) => a + b, 0);
      const done = async () => (await positions(conn, namespace, 'sum', PARTITIONS)).every((seq, p) => seq >= ends[p]!);
      workers.push(await ServiceProcess.startScript(WORKER, 'first', env));
      await waitUntil(async () => (await progress()) > 10_000, 30_000, 'first progress');
      workers.push(await ServiceProcess.startScript(WORKER, 'added', env));
      await new Promise((r) => setTimeout(r, 1000));

      // A restart (SIGTERM, store kept). A crash of a 2.9 server (SIGKILL) can lose or repeat its
      // last writes, since 2.9 cannot fsync them: see docs/exactly-once.md.
      await conn.drain().catch(() => undefined);
      await server.stop(true);
      await new Promise((r) => setTimeout(r, 1000));
      await server.restart();
      conn = await connectJetStream({ servers: server.url, name: 'exactly-once-restart' });

      await workers[0]!.stop();
      workers.push(await ServiceProcess.startScript(WORKER, 'third', env));
      await waitUntil(done, 90_000, 'all input processed after the restart');
      await Promise.all(workers.map((w) => w.stop()));
      const count = await expectSameAsUninterrupted(conn, namespace, topology);
      process.stdout.write(`restart test: 100000 inputs, NATS restarted, +1 -1 instance, ${count} outputs identical\n`);
    } finally {
      await Promise.all(workers.map((w) => w.kill()));
      await conn.drain().catch(() => undefined);
      await server.stop();
    }
  }, 240_000);
});
