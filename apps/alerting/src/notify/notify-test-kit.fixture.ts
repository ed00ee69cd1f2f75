import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Alert } from '@sightline/contracts';

/** A request the receiver got, and what it answered. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  status?: number;
}

/**
 * A local HTTP receiver that records every request. `respond` decides each answer (status and
 * delay); by default 200 at once.
 */
export class Receiver {
  readonly requests: Received[] = [];
  respond: (request: Received, index: number) => { status: number; delayMs?: number } = () => ({ status: 200 });
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received: Received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.requests.push(received);
        const { status, delayMs = 0 } = this.respond(received, this.requests.length - 1);
        setTimeout(() => {
          received.status = status;
          res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  on(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deletes every Redis key of the namespace's queues (`bull:<ns>-*`). */
export async function deleteRedisKeys(redisUrl: string, namespace: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `bull:${namespace}-*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

export function alert(n: number, overrides: Partial<Alert> = {}): Alert {
  return {
    v: 1,
    alert_id: `rule-${n}:demo:cdn=fastly`,
    property_id: 'demo',
    rule_id: `rule-${n}`,
    state: 'firing',
    severity: 'critical',
    metric: 'rebuffer_percentage',
    cohort: { cdn: 'fastly' },
    summary: `Rebuffering of cdn=fastly at 4.2% (rule ${n})`,
    observed: 4.2,
    expected: 1,
    at: 1_750_000_000_000 + n,
    transition_id: `rule-${n}:demo:cdn=fastly:firing:${n}`,
    notify: true,
    channels: ['hook'],
    ...overrides,
  };
}
