import type { Redis } from 'ioredis';
import type { DeliveryRecord } from '@sightline/notifications';

/**
 * The delivery log: one entry per attempt (and per hold or skip) in a capped Redis stream
 * (`XADD MAXLEN ~ max`), newest last. Each entry is the JSON of a DeliveryRecord.
 */
export class DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly maxEntries: number,
  ) {}

  async append(record: DeliveryRecord): Promise<void> {
    await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxEntries), '*', 'record', JSON.stringify(record));
  }

  /** Newest first, at most `limit`, only those of one alert when `alertId` is given. */
  async recent(options: { alertId?: string; limit: number }): Promise<DeliveryRecord[]> {
    const found: DeliveryRecord[] = [];
    let end = '+';
    const page = 500;
    while (found.length < options.limit) {
      const entries = await this.redis.xrevrange(this.key, end, '-', 'COUNT', page);
      for (const [, fields] of entries) {
        const record = JSON.parse(fields[1] ?? '{}') as DeliveryRecord;
        if (!options.alertId || record.alert_id === options.alertId) found.push(record);
        if (found.length >= options.limit) break;
      }
      if (entries.length < page) break;
      end = `(${entries.at(-1)![0]}`;
    }
    return found;
  }
}
