import { Redis, type RedisOptions } from 'ioredis';

/**
 * What a connection is for, which decides how it behaves while Redis is down:
 * - `commands`: fails fast. No offline queue and one retry per command, so a caller (enqueueing,
 *   a log write, an API request, a BullMQ Queue) gets an error at once instead of waiting.
 * - `worker`: waits. `maxRetriesPerRequest: null` and an offline queue, as a BullMQ Worker
 *   requires: its blocking commands outlast an outage and resume after it.
 */
export type RedisRole = 'commands' | 'worker';

export interface RedisLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL. */
  readonly url: string;
  /** Client name (CLIENT SETNAME, shown by CLIENT LIST) and the `connection` field of log lines. */
  readonly name: string;
  readonly role: RedisRole;
  /**
   * Connect on the first command (or `connect()`) rather than at once. Default false: the
   * connection is attempted immediately and retried in the background, and the service starts
   * either way.
   */
  readonly lazyConnect?: boolean;
  /** Told of the first error of an outage and of its end, not of every reconnection attempt. */
  readonly logger: RedisLogger;
  /** Longest wait between reconnection attempts, ms (they back off by 200 ms each). Default 2000. */
  readonly maxReconnectDelayMs?: number;
}

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  commands: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  worker: { enableOfflineQueue: true, maxRetriesPerRequest: null },
};

/** An ioredis connection that keeps reconnecting for ever, with the options its role needs. */
export function redisConnection(options: RedisConnectionOptions): Redis {
  const maxDelayMs = options.maxReconnectDelayMs ?? 2000;
  const client = new Redis(options.url, {
    ...ROLE_OPTIONS[options.role],
    connectionName: options.name,
    lazyConnect: options.lazyConnect ?? false,
    retryStrategy: (attempt) => Math.min(attempt * 200, maxDelayMs),
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) options.logger.warn({ connection: options.name, err: error.message }, 'redis unavailable');
    down = true;
  });
  client.on('ready', () => {
    if (down) options.logger.info({ connection: options.name }, 'redis available again');
    down = false;
  });
  return client;
}

/** A `/readyz` check (a ReadinessCheck) that pings through the connection. */
export function redisReadiness(client: Redis, name = 'redis'): { readonly name: string; check(): Promise<void> } {
  return {
    name,
    check: async () => {
      await client.ping();
    },
  };
}

/**
 * Closes the connection: QUIT when it is up, so that pending replies arrive first, but for at
 * most `graceMs` (a worker connection would wait for ever on a Redis that has just gone away);
 * then, or when it is down, at once. Default 1000 ms.
 */
export async function closeRedis(client: Redis, graceMs = 1000): Promise<void> {
  if (client.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([client.quit().catch(() => undefined), grace]);
    clearTimeout(timer);
  }
  if (client.status !== 'end') client.disconnect();
}
