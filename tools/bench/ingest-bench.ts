// `npm run bench:ingest`: ingest over HTTP (INGEST_WORKERS processes, default 2, sharing the
// port) driven from this separate process with beacons of 20 events, against the raw JetStream
// publish ceiling for the same payloads and the bare HTTP floor (a Fastify server doing nothing
// but answer 202, same workers, same load), both measured in the same run. Options:
// BENCH_SECONDS (10), BENCH_CONNECTIONS (64), INGEST_WORKERS (2), NATS_URL. Prints JSON and a line.
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { connectJetStream } from '@sightline/messaging';
import { freePort } from '@sightline/test-support';
import { rawPublishRate } from './raw-publish';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WORKERS = process.env.INGEST_WORKERS ?? '2';
const EVENTS = 20;
const NATS = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const root = path.resolve(__dirname, '../../..');

function beacon(viewId: string) {
  const t = Date.now();
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

/** The bare client publishing the same enriched payloads, a window of 1000 in flight. */
async function rawCeiling(namespace: string): Promise<number> {
  const connection = await connectJetStream({ servers: NATS, name: 'ingest-bench-raw' });
  const subject = `${namespace}.v1.events.beacon.p0`;
  const enrichment = { property_id: 'bench', ip_prefix: '127.0.0.0/24', user_agent: 'bench' };
  const { eventsPerSecond } = await rawPublishRate(connection.js, SECONDS / 2, (i) => ({
    subject,
    data: JSON.stringify({ ...beacon(`raw-${i}`), enrichment: { received_at: Date.now(), ...enrichment } }),
    events: EVENTS,
  }));
  await connection.drain();
  return eventsPerSecond;
}

let counter = 0;

/** Drives `url` with 20-event beacons from this process for BENCH_SECONDS. */
function drive(url: string): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/v1/beacons?key=bench-key`,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(beacon(`v-${process.pid}-${counter++}`)) }) }],
  });
}

/** Beacons per second answered by a Fastify server that does no work at all. */
async function bareHttpFloor(): Promise<number> {
  const port = await freePort();
  const server = await startServer('dist/tools/bench/bare-http-server.js', { BARE_HTTP_PORT: String(port) }, port);
  try {
    const result = await drive(server.url);
    return result['2xx'] / (result.duration || SECONDS);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const namespace = `ibench${Date.now().toString(36)}`;
  const port = await freePort();
  const ingest = await startServer(
    'dist/apps/ingest/src/main.js',
    {
      NATS_URL: NATS,
      HTTP_PORT: String(port),
      SIGHTLINE_NAMESPACE: namespace,
      INGEST_PROPERTY_KEYS: 'bench-key=bench',
      INGEST_RATE_LIMIT_PER_SECOND: '1000000',
      INGEST_RATE_LIMIT_BURST: '1000000',
      LOG_LEVEL: 'warn',
    },
    port,
  );
  try {
    const raw = await rawCeiling(namespace);
    const result = await drive(ingest.url);
    await ingest.stop();
    const bare = await bareHttpFloor();
    const ok = result['2xx'];
    const eventsPerSecond = (ok * EVENTS) / (result.duration || SECONDS);
    const summary = {
      workers: Number(WORKERS),
      connections: CONNECTIONS,
      seconds: SECONDS,
      eventsPerBeacon: EVENTS,
      ingestEventsPerSecond: Math.round(eventsPerSecond),
      beaconsPerSecond: Math.round(ok / (result.duration || SECONDS)),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      non2xx: result.non2xx,
      errors: result.errors,
      rawPublishEventsPerSecond: Math.round(raw),
      ratio: Number((eventsPerSecond / raw).toFixed(3)),
      bareHttpEventsPerSecond: Math.round(bare * EVENTS),
      bareHttpRatio: Number(((bare * EVENTS) / raw).toFixed(3)),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.stdout.write(
      `ingest: ${summary.ingestEventsPerSecond} events/s (${summary.beaconsPerSecond} beacons/s, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms) | raw JetStream publish: ${summary.rawPublishEventsPerSecond} events/s | ${Math.round(summary.ratio * 100)}% | bare HTTP server doing nothing: ${summary.bareHttpEventsPerSecond} events/s (${Math.round(summary.bareHttpRatio * 100)}% of raw)\n`,
    );
  } finally {
    await ingest.stop();
    const connection = await connectJetStream({ servers: NATS, name: 'ingest-bench-cleanup' });
    for await (const name of connection.jsm.streams.names()) if (name.startsWith(`${namespace}-`)) await connection.jsm.streams.delete(name);
    await connection.drain();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest-bench: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
