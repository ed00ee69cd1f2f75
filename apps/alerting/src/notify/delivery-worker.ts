import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel, Silence } from '@sightline/contracts';
import type { WatchedBucket } from '@sightline/messaging';
import { channelRequest, silencedUntil, type AttemptOutcome, type DeliveryRecord, type NotificationJob } from '@sightline/notifications';
import { backoffDelayMs, type BackoffPolicy, type Logger } from '@sightline/runtime';
import type { DeliveryLog } from './delivery-log';
import { hmacSha256Hex } from './hmac';
import { sendRequest } from './http-sender';
import type { NotificationQueues } from './notification-queues';
import type { NotifyMetrics } from './notify-metrics';

export interface DeliveryWorkerOptions {
  readonly queues: NotificationQueues;
  /** The worker's own connection (`maxRetriesPerRequest: null`). */
  readonly connection: Redis;
  /** The fail-fast connection for the log and the newest-delivered record. */
  readonly redis: Redis;
  readonly channels: WatchedBucket<Channel>;
  readonly silences: WatchedBucket<Silence>;
  readonly log: DeliveryLog;
  readonly backoff: BackoffPolicy;
  /** How long a receiver has to answer, ms. */
  readonly timeoutMs: number;
  /** Deliveries in progress at once. */
  readonly concurrency: number;
  /** How long a job stays claimed by a worker that stopped renewing it (a crash), ms. */
  readonly lockMs: number;
  readonly logger: Logger;
  readonly metrics: NotifyMetrics;
  /** The clock, ms since the epoch. Default Date.now. */
  readonly now?: () => number;
}

/** Records `at` as the newest transition delivered for the field unless a newer one is there. */
const RECORD_NEWEST = `local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

/**
 * Delivers queued notifications: holds back those a silence selects (until it ends, without
 * spending an attempt), skips a transition older than one the channel already got, sends the
 * channel's request, logs every attempt, retries what may succeed later (full-jitter backoff)
 * and dead-letters what will not, or what ran out of attempts.
 */
export class DeliveryWorker {
  private readonly worker: Worker<NotificationJob>;
  private readonly now: () => number;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? Date.now;
    const { queues, connection, concurrency, lockMs, backoff, logger } = options;
    this.worker = new Worker<NotificationJob>(queues.names.main, (job, token) => this.process(job, token), {
      connection,
      prefix: queues.names.prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A crash mid-delivery is retried with the same idempotency key, not failed.
      maxStalledCount: 1000,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelayMs(Math.max(1, attemptsMade), backoff, Math.random) },
    });
    this.worker.on('error', (error) => logger.debug({ err: error.message }, 'notification worker error'));
  }

  /** Lets deliveries in progress finish, or with `force` (Redis is down: none can) stops at once. */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
  }

  private async process(job: Job<NotificationJob>, token: string | undefined): Promise<void> {
    const { channels, silences, logger } = this.options;
    const data = job.data;
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const channel = channels.get(data.channel_id);
    const base = { delivery_key: data.delivery_key, alert_id: data.alert.alert_id, state: data.alert.state, channel_id: data.channel_id, attempt };
    if (!channel?.enabled) {
      const error = `channel ${data.channel_id} ${channel ? 'is disabled' : 'no longer exists'}`;
      await this.deadLetter(job, { ...base, channel_kind: channel?.kind ?? 'unknown', status: 'dead', error, duration_ms: 0, at: this.now() });
      throw new UnrecoverableError(error);
    }
    const record = { ...base, channel_kind: channel.kind };

    const heldUntil = silencedUntil(silences.list(), data.alert, this.now());
    if (heldUntil !== undefined) {
      await this.append({ ...record, status: 'held', held_until: heldUntil, duration_ms: 0, at: this.now() });
      await job.moveToDelayed(heldUntil, token);
      throw new DelayedError();
    }
    if (await this.superseded(data)) {
      await this.append({ ...record, status: 'superseded', duration_ms: 0, at: this.now() });
      return;
    }

    const started = this.now();
    const outcome = await this.send(channel, data, started);
    const result = { ...record, duration_ms: this.now() - started, at: this.now(), ...httpStatusOf(outcome) };
    if (outcome.kind === 'delivered') {
      await this.options.redis.eval(RECORD_NEWEST, 1, this.options.queues.names.delivered, newestField(data), String(data.alert.at));
      await this.append({ ...result, status: 'delivered' });
      return;
    }
    if (outcome.kind === 'retry' && attempt < maxAttempts) {
      await this.append({ ...result, status: 'failed', error: outcome.error });
      logger.info({ delivery_key: data.delivery_key, channel: channel.id, attempt, err: outcome.error }, 'notification not delivered; retrying');
      throw new Error(outcome.error);
    }
    await this.deadLetter(job, { ...result, status: 'dead', error: outcome.error });
    throw new UnrecoverableError(outcome.error);
  }

  private async send(channel: Channel, data: NotificationJob, nowMs: number): Promise<AttemptOutcome> {
    try {
      return await sendRequest(channelRequest(channel, data, nowMs, hmacSha256Hex), this.options.timeoutMs);
    } catch (error) {
      // The request could not be built (a channel without what its kind needs): never retried.
      return { kind: 'permanent', httpStatus: 0, error: (error as Error).message };
    }
  }

  /** Whether the channel already got a newer transition of the same alert (retries can reorder). */
  private async superseded(data: NotificationJob): Promise<boolean> {
    const newest = await this.options.redis.hget(this.options.queues.names.delivered, newestField(data));
    return newest !== null && Number(newest) > data.alert.at;
  }

  private async deadLetter(job: Job<NotificationJob>, record: DeliveryRecord): Promise<void> {
    const { queues, logger } = this.options;
    await queues.dead.add(
      'dead',
      { job: job.data, attempts: record.attempt, last_error: record.error ?? 'unknown', ...(record.http_status ? { last_http_status: record.http_status } : {}), failed_at: record.at },
      { jobId: job.id, removeOnComplete: true },
    );
    await this.append(record);
    logger.warn({ delivery_key: record.delivery_key, channel: record.channel_id, attempt: record.attempt, err: record.error }, 'notification dead-lettered');
  }

  private async append(record: DeliveryRecord): Promise<void> {
    this.options.metrics.attempts.inc({ channel_kind: record.channel_kind, status: record.status });
    await this.options.log.append(record);
  }
}

function newestField(data: NotificationJob): string {
  return `${data.alert.alert_id}|${data.channel_id}`;
}

function httpStatusOf(outcome: AttemptOutcome): { http_status?: number } {
  return outcome.httpStatus ? { http_status: outcome.httpStatus } : {};
}
