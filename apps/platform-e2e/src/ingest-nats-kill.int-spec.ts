import { connectJetStream } from '@sightline/messaging';
import { NatsServerProcess, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { readStream } from './fixtures/streams';

const WORKERS = 8;

/**
 * Ingest under load while its NATS server is killed and restarted: every beacon answered 2xx
 * must be in the stream afterwards, and every other answer must be 503 with Retry-After.
 */
describe('ingest when NATS is killed mid-load', () => {
  it('stores every beacon it acknowledged and answers 503 for the rest', async () => {
    const server = await NatsServerProcess.start();
    const namespace = uniqueNamespace('kill');
    // The rate limit is out of the way: the load is as fast as ingest answers, and only 503 may refuse it.
    const ingest = await ServiceProcess.start('ingest', {
      NATS_URL: server.url,
      SIGHTLINE_NAMESPACE: namespace,
      INGEST_PROPERTY_KEYS: 'k3y=kill',
      INGEST_RATE_LIMIT_PER_SECOND: '1000000',
      INGEST_RATE_LIMIT_BURST: '1000000',
    });
    const accepted = new Set<string>();
    const answers = new Map<number, number>();
    let running = true;
    let counter = 0;
    try {
      const load = Array.from({ length: WORKERS }, async () => {
        while (running) {
          const viewId = `kill-${counter++}`;
          const response = await fetch(`${ingest.url}/v1/beacons?key=k3y`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ v: 1, view_id: viewId, events: [{ seq: 0, type: 'play', ts: Date.now(), playhead_ms: 0 }] }),
          }).catch(() => undefined);
          const status = response?.status ?? 0;
          answers.set(status, (answers.get(status) ?? 0) + 1);
          if (status === 202) accepted.add(viewId);
          else expect({ status, retryAfter: response?.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '1' });
        }
      });
      await new Promise((r) => setTimeout(r, 1500));
      await server.kill();
      await new Promise((r) => setTimeout(r, 3000));
      await server.restart();
      await new Promise((r) => setTimeout(r, 3000));
      running = false;
      await Promise.all(load);

      expect(answers.get(503) ?? 0).toBeGreaterThan(0);
      expect(accepted.size).toBeGreaterThan(100);
      const conn = await connectJetStream({ servers: server.url, name: 'kill-check' });
      const stored = new Set((await readStream<{ view_id: string }>(conn, `${namespace}-events`)).map((batch) => batch.view_id));
      await conn.drain();
      const lost = [...accepted].filter((id) => !stored.has(id));
      process.stdout.write(`NATS kill: ${accepted.size} beacons acknowledged, ${answers.get(503) ?? 0} answered 503, ${lost.length} acknowledged but missing\n`);
      expect(lost).toEqual([]);
    } finally {
      running = false;
      await ingest.stop();
      await server.stop();
    }
  }, 60_000);
});
