import { Redis } from 'ioredis';
import type { Logger } from '@sightline/runtime';

/**
 * A connection for commands that must fail fast while Redis is down (enqueueing, the delivery
 * log, the API): no offline queue, one retry, reconnecting in the background.
 */
export function commandClient(url: string, name: string, logger: Logger): Redis {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: name, retryStrategy: reconnectDelay });
  return withWarnings(client, name, logger);
}

/** A connection for the BullMQ worker, which needs `maxRetriesPerRequest: null` (it blocks and waits for Redis). */
export function workerClient(url: string, name: string, logger: Logger): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, connectionName: name, retryStrategy: reconnectDelay });
  return withWarnings(client, name, logger);
}

function reconnectDelay(times: number): number {
  return Math.min(times * 200, 2000);
}

/** Logs the first error of an outage (and its end), not every reconnection attempt. */
function withWarnings(client: Redis, name: string, logger: Logger): Redis {
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ connection: name, err: error.message }, 'redis unavailable; notifications wait');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ connection: name }, 'redis available again');
    down = false;
  });
  return client;
}
