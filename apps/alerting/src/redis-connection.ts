import type { OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@sightline/runtime';
import { Redis } from 'ioredis';

/**
 * The Redis connection that carries notification delivery (BullMQ). The service starts without
 * it; readiness reports whether it is reachable.
 */
export class RedisConnection implements OnModuleDestroy {
  readonly client: Redis;

  constructor(url: string, logger: Logger) {
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.client.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis unavailable'));
    this.client.connect().catch(() => undefined);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
