import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { freePort, redisUrl } from '@sightline/test-support';
import { closeRedis, redisConnection, redisReadiness, type RedisLogger } from './redis-connection';

function recordingLogger(): RedisLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (fields, message) => lines.push(`warn ${message} ${(fields as { connection: string }).connection}`),
    info: (fields, message) => lines.push(`info ${message} ${(fields as { connection: string }).connection}`),
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

/** A redis-server of the test's own on a free port, which the test stops and starts again. */
class OwnRedis {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes('Ready to accept connections'), `redis-server on port ${this.port} is ready`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

describe('redisConnection', () => {
  const clients: Redis[] = [];
  const open = (...args: Parameters<typeof redisConnection>): Redis => {
    const client = redisConnection(...args);
    clients.push(client);
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
  });

  it('names the connection, and reports readiness by a ping', async () => {
    const name = `test-${randomUUID()}`;
    const client = open({ url: redisUrl(), name, role: 'commands', logger: recordingLogger() });
    await expect(redisReadiness(client).check()).rejects.toThrow("Stream isn't writeable and enableOfflineQueue options is false");
    await ready(client);
    await expect(redisReadiness(client).check()).resolves.toBeUndefined();
    expect(await client.client('GETNAME')).toBe(name);
    expect(redisReadiness(client).name).toBe('redis');
  });

  it('connects lazily when asked: not before the first command', async () => {
    const client = open({ url: redisUrl(), name: 'lazy', role: 'commands', lazyConnect: true, logger: recordingLogger() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.status).toBe('wait');
    await client.connect();
    expect(await client.ping()).toBe('PONG');
  });

  it('serves a BullMQ queue (commands) and worker (worker); a worker refuses a fail-fast connection', async () => {
    const name = `test-${randomUUID()}`;
    const logger = recordingLogger();
    const commands = open({ url: redisUrl(), name: `${name}-commands`, role: 'commands', logger });
    await ready(commands);
    const worker = open({ url: redisUrl(), name: `${name}-worker`, role: 'worker', logger });
    const queue = new Queue<{ n: number }>(name, { connection: commands });
    try {
      // Lazy, because BullMQ duplicates the connection before refusing it and never closes the copy.
      const failFast = open({ url: redisUrl(), name: `${name}-refused`, role: 'commands', lazyConnect: true, logger });
      expect(() => new Worker(name, async () => undefined, { connection: failFast, autorun: false })).toThrow('BullMQ: Your redis options maxRetriesPerRequest must be null.');
      const seen: number[] = [];
      const running = new Worker<{ n: number }>(name, async (job) => void seen.push(job.data.n), { connection: worker });
      try {
        await queue.addBulk([1, 2, 3].map((n) => ({ name: 'job', data: { n } })));
        await until(() => seen.length === 3, 'the worker has processed three jobs');
        expect(seen.sort()).toEqual([1, 2, 3]);
      } finally {
        await running.close();
      }
      expect(logger.lines).toEqual([]);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  describe('through an outage', () => {
    let server: OwnRedis;

    beforeEach(async () => {
      server = new OwnRedis(await freePort());
      await server.start();
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
      await server.stop();
    });

    it('fails commands fast, lets worker commands wait, and logs the outage once and its end', async () => {
      const logger = recordingLogger();
      const commands = open({ url: server.url, name: 'commands', role: 'commands', logger, maxReconnectDelayMs: 200 });
      const worker = open({ url: server.url, name: 'worker', role: 'worker', logger, maxReconnectDelayMs: 200 });
      await Promise.all([ready(commands), worker.ping()]);

      await server.stop();
      await until(() => commands.status !== 'ready' && worker.status !== 'ready', 'both connections have seen the outage');
      const started = Date.now();
      await expect(commands.set('k', 'v')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1000);
      const waiting = worker.set('k', 'v');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(logger.lines.sort()).toEqual(['warn redis unavailable commands', 'warn redis unavailable worker']);

      await server.start();
      await expect(waiting).resolves.toBe('OK');
      await until(() => logger.lines.length === 4, 'both connections have logged their recovery');
      expect(logger.lines.slice(2).sort()).toEqual(['info redis available again commands', 'info redis available again worker']);
      expect(await commands.get('k')).toBe('v');
    });
  });
});
