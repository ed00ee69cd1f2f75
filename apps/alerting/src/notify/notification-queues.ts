import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeadNotification, NotificationJob } from '@sightline/notifications';

/** Names of the Redis structures of one namespace's notifications. */
export interface QueueNames {
  /** BullMQ queue of notifications to deliver: `<ns>-notifications`. */
  readonly main: string;
  /** BullMQ queue of notifications given up on: `<ns>-notifications-dead`. */
  readonly dead: string;
  /** Redis stream of delivery attempts: `<prefix>:<ns>-notifications:deliveries`. */
  readonly log: string;
  /** Hash of the newest transition delivered per alert and channel: `<prefix>:<ns>-notifications:delivered`. */
  readonly delivered: string;
  /** BullMQ key prefix. */
  readonly prefix: string;
}

export const BULL_PREFIX = 'bull';

export function queueNames(namespace: string): QueueNames {
  const main = `${namespace}-notifications`;
  return { main, dead: `${main}-dead`, log: `${BULL_PREFIX}:${main}:deliveries`, delivered: `${BULL_PREFIX}:${main}:delivered`, prefix: BULL_PREFIX };
}

/** Name of every job of the main queue (BullMQ wants one; the id is what matters). */
export const NOTIFY_JOB = 'notify';

/** The two queues, over one fail-fast connection. */
export class NotificationQueues {
  readonly main: Queue<NotificationJob>;
  readonly dead: Queue<DeadNotification>;

  constructor(
    readonly names: QueueNames,
    connection: Redis,
  ) {
    this.main = new Queue<NotificationJob>(names.main, { connection, prefix: names.prefix });
    this.dead = new Queue<DeadNotification>(names.dead, { connection, prefix: names.prefix });
    // Errors surface through the calls that fail; these events would otherwise be unhandled.
    this.main.on('error', () => undefined);
    this.dead.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.main.close(), this.dead.close()]);
  }
}
