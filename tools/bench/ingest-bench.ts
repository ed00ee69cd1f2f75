// `npm run bench:ingest`: ingest over HTTP (INGEST_WORKERS processes, default 2, sharing the
// port), driven by wrk from a separate process with beacons of 20 events, each of its own view,
// against the raw JetStream publish ceiling for the same payloads and the floor of a node:http
// server doing nothing, all measured in the same run, BENCH_ROUNDS times (3), interleaved;
// medians are reported. Options: BENCH_SECONDS (10 per HTTP measurement, half that per raw one),
// BENCH_ROUNDS, BENCH_CONNECTIONS (64), INGEST_WORKERS (2), NATS_URL. Needs wrk (apt-get install wrk).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { connectJetStream, type JetStreamConnection } from '@sightline/messaging';
import { percentile } from '@sightline/simulator';
import { deleteNamespace, freePort } from '@sightline/test-support';
import { pipelinedPublishRate, rawPublishRate } from './raw-publish';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WORKERS = process.env.INGEST_WORKERS ?? '2';
const EVENTS = 20;
const PARTITIONS = 8;
const NATS = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const root = path.resolve(__dirname, '../../..');
const MARK = 'VIEWIDMARK';

/** The benchmark's beacon: 20 events of one view, a rendition on the second. */
function beacon(viewId: string, t: number) {
  return {
    v: 1,
    view_id: viewId,
    context: { cdn: 'cdn-a', player_name: 'hls.js', player_version: '1.5.0', video_id: 'title-42', stream_type: 'vod' },
    events: Array.from({ length: EVENTS }, (_, seq) => ({
      seq,
      type: seq === 0 ? 'play' : 'heartbeat',
      ts: t + seq * 1000,
      playhead_ms: seq * 1000,
      ...(seq === 1 ? { rendition: { bitrate_bps: 3_000_000, width: 1280, height: 720 } } : {}),
    })),
  };
}

/** A JSON text split around the view id: each message is `before + id + after`, built as cheaply on both sides. */
function template(value: object): [string, string] {
  const [before, after] = JSON.stringify(value).split(MARK);
  return [before!, after!];
}

/** The middle of the rounds' figures (there is at least one round). */
const median = (values: number[]) => percentile(values, 50)!;

/** Starts a server script (its workers share `port`) and resolves once `/readyz` answers. */
async function startServer(script: string, env: NodeJS.ProcessEnv, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(root, script)], {
    env: { ...process.env, INGEST_WORKERS: WORKERS, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not become ready within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

interface HttpRun {
  readonly beaconsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Drives `url` with wrk (one thread, CONNECTIONS connections) for SECONDS. */
function drive(url: string, tag: string): Promise<HttpRun> {
  const [before, after] = template(beacon(MARK, Date.now()));
  const wrk = spawn(
    'wrk',
    ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--timeout', '10s', '-s', path.join(root, 'tools/bench/ingest-beacons.lua'), `${url}/`, '--', before, after, 'bench-key', tag],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  wrk.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    wrk.once('error', reject);
    wrk.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code}: ${output}`));
      const r = JSON.parse(line) as { requests: number; duration_us: number; non2xx: number; errors: number; p50_us: number; p99_us: number };
      resolve({
        beaconsPerSecond: (r.requests - r.non2xx) / (r.duration_us / 1e6),
        p50Ms: r.p50_us / 1000,
        p99Ms: r.p99_us / 1000,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

/** Events a second one client publishes of the same enriched payloads, as ingest stores them. */
async function rawCeilings(connection: JetStreamConnection, namespace: string, tag: string): Promise<{ request: number; pipelined: number }> {
  const [before, after] = template({
    ...beacon(MARK, Date.now()),
    enrichment: { received_at: Date.now(), property_id: 'bench', ip_prefix: '127.0.0.0/24' },
  });
  const nth = (i: number) => ({ subject: `${namespace}.v1.events.beacon.p${i % PARTITIONS}`, data: `${before}${tag}-${i}${after}`, events: EVENTS });
  const request = await rawPublishRate(connection, SECONDS / 2, nth, `${tag}-request`);
  const pipelined = await pipelinedPublishRate(connection, SECONDS / 2, nth, `${tag}-pipelined`);
  return { request: request.eventsPerSecond, pipelined: pipelined.eventsPerSecond };
}

async function main(): Promise<void> {
  if (spawnSync('wrk', ['--version']).error) {
    throw new Error('bench:ingest drives HTTP with wrk, which is not installed here: apt-get install wrk');
  }
  const namespace = `ibench${Date.now().toString(36)}`;
  const [port, barePort] = [await freePort(), await freePort()];
  const ingest = await startServer(
    'dist/apps/ingest/src/main.js',
    {
      NATS_URL: NATS,
      HTTP_PORT: String(port),
      SIGHTLINE_NAMESPACE: namespace,
      SIGHTLINE_PARTITIONS: String(PARTITIONS),
      INGEST_PROPERTY_KEYS: 'bench-key=bench',
      INGEST_RATE_LIMIT_PER_SECOND: '1000000',
      INGEST_RATE_LIMIT_BURST: '1000000',
      LOG_LEVEL: 'warn',
    },
    port,
  );
  const bare = await startServer('dist/tools/bench/bare-http-server.js', { BARE_HTTP_PORT: String(barePort) }, barePort);
  const connection = await connectJetStream({ servers: NATS, name: 'ingest-bench-raw' });
  try {
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const tag = `${namespace}r${round}`;
      const raw = await rawCeilings(connection, namespace, tag);
      const http = await drive(ingest.url, `${tag}i`);
      const floor = await drive(bare.url, `${tag}b`);
      const ingestEvents = http.beaconsPerSecond * EVENTS;
      rounds.push({
        ingestEventsPerSecond: Math.round(ingestEvents),
        latencyMs: { p50: http.p50Ms, p99: http.p99Ms },
        non2xx: http.non2xx,
        errors: http.errors,
        rawPublishEventsPerSecond: Math.round(raw.request),
        pipelinedPublishEventsPerSecond: Math.round(raw.pipelined),
        bareHttpEventsPerSecond: Math.round(floor.beaconsPerSecond * EVENTS),
        ratio: Number((ingestEvents / raw.request).toFixed(3)),
      });
      process.stderr.write(`round ${round}: ${JSON.stringify(rounds.at(-1))}\n`);
    }
    const ingestEvents = median(rounds.map((r) => r.ingestEventsPerSecond));
    const raw = median(rounds.map((r) => r.rawPublishEventsPerSecond));
    const pipelined = median(rounds.map((r) => r.pipelinedPublishEventsPerSecond));
    const bareEvents = median(rounds.map((r) => r.bareHttpEventsPerSecond));
    const summary = {
      workers: Number(WORKERS),
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      eventsPerBeacon: EVENTS,
      ingestEventsPerSecond: ingestEvents,
      beaconsPerSecond: Math.round(ingestEvents / EVENTS),
      latencyMs: { p50: median(rounds.map((r) => r.latencyMs.p50)), p99: median(rounds.map((r) => r.latencyMs.p99)) },
      non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
      errors: rounds.reduce((n, r) => n + r.errors, 0),
      rawPublishEventsPerSecond: raw,
      ratio: Number((ingestEvents / raw).toFixed(3)),
      pipelinedPublishEventsPerSecond: pipelined,
      pipelinedRatio: Number((ingestEvents / pipelined).toFixed(3)),
      bareHttpEventsPerSecond: bareEvents,
      bareHttpRatio: Number((bareEvents / raw).toFixed(3)),
      perRound: rounds,
    };
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.stdout.write(
      `ingest (${WORKERS} workers): ${ingestEvents} events/s (${summary.beaconsPerSecond} beacons/s, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, ${summary.non2xx} non-2xx) | ` +
        `raw JetStream publish (js.publish, 1000 in flight): ${raw} events/s | ${pct(summary.ratio)} | ` +
        `pipelined publish: ${pipelined} events/s (ingest ${pct(summary.pipelinedRatio)}) | ` +
        `node:http doing nothing: ${bareEvents} events/s (${pct(summary.bareHttpRatio)} of raw) | medians of ${ROUNDS} rounds\n`,
    );
  } finally {
    await ingest.stop();
    await bare.stop();
    await deleteNamespace(connection, namespace);
    await connection.drain();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest-bench: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
