import { AlertSchema, type Alert, type Channel } from '@sightline/contracts';
import { DurableWorker, type Delivery, type JetStreamConnection, type WatchedBucket } from '@sightline/messaging';
import { deliveryKeyOf, type NotificationJob } from '@sightline/notifications';
import type { BackoffPolicy, Logger } from '@sightline/runtime';
import type { JobsOptions } from 'bullmq';
import { jobIdOf } from './job-id';
import { NOTIFY_JOB, type NotificationQueues } from './notification-queues';
import type { NotifyMetrics } from './notify-metrics';

export interface AlertNotifierOptions {
  readonly connection: JetStreamConnection;
  /** The alerts stream and the subjects of it to read. */
  readonly stream: string;
  readonly filterSubject: string;
  /** Durable consumer name (`alerting-notifier`): shared by every alerting instance. */
  readonly durable: string;
  /** Where alerts that are not `AlertSchema` are dead-lettered. */
  readonly deadLetterSubject: string;
  readonly queues: NotificationQueues;
  readonly channels: WatchedBucket<Channel>;
  /** Options of every job: attempts, backoff, retention. */
  readonly jobOptions: Omit<JobsOptions, 'jobId'>;
  /** How long an enqueue may wait for Redis before it counts as failed, ms. */
  readonly enqueueTimeoutMs: number;
  /** The durable's ack wait, ms. */
  readonly ackWaitMs: number;
  /** Pauses between attempts at a batch Redis did not take: capped exponential. */
  readonly retry: BackoffPolicy;
  readonly logger: Logger;
  readonly metrics: NotifyMetrics;
}

/** Alerts fetched and queued together, and handed out unacknowledged at most. */
const BATCH_SIZE = 64;
const MAX_ACK_PENDING = 256;

/**
 * The outbox of notifications: reads the alerts stream through a durable worker and, for every
 * alert to notify, queues one job per channel under a job id derived from the transition and
 * the channel; the batch is acknowledged once Redis took every job. A repeated alert
 * (redelivery, a replay, a crash between enqueue and ack) finds its jobs already queued and adds
 * nothing. While Redis is unreachable the batch stays unacknowledged and is retried, so deciding
 * and publishing alerts never waits for Redis and no notification is lost.
 */
export class AlertNotifier {
  private readonly worker: DurableWorker<typeof AlertSchema>;

  constructor(private readonly options: AlertNotifierOptions) {
    const { connection, stream, filterSubject, durable, deadLetterSubject, ackWaitMs, retry, logger, metrics } = options;
    this.worker = new DurableWorker({
      connection,
      stream,
      filterSubject,
      reading: { kind: 'durable', name: durable, deadLetterSubject, ackWaitMs, maxAckPending: MAX_ACK_PENDING },
      schema: AlertSchema,
      handle: (batch) => this.enqueue(batch),
      batchSize: BATCH_SIZE,
      backoff: retry,
      logger,
      hooks: {
        onHeld: () => metrics.enqueueFailures.inc(),
        onHandled: ({ invalid }) => {
          if (invalid > 0) metrics.skipped.inc({ reason: 'invalid_alert' }, invalid);
        },
      },
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  /** Stops after the batch in hand; alerts fetched and not queued are handed back. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Queues the notifications of a batch of alerts; throws when Redis did not take them all. */
  private async enqueue(batch: readonly Delivery<Alert>[]): Promise<void> {
    const jobs = batch.flatMap(({ value }) => this.jobsOf(value));
    if (jobs.length === 0) return;
    const { queues, jobOptions, enqueueTimeoutMs, metrics } = this.options;
    const adds = Promise.all(jobs.map(({ job }) => queues.main.add(NOTIFY_JOB, job, { ...jobOptions, jobId: jobIdOf(job.delivery_key) })));
    await withTimeout(adds, enqueueTimeoutMs, `Redis did not take the notifications within ${enqueueTimeoutMs} ms (the alerts stay unacknowledged)`);
    for (const { kind } of jobs) metrics.enqueued.inc({ channel_kind: kind });
  }

  private jobsOf(alert: Alert): { job: NotificationJob; kind: Channel['kind'] }[] {
    const { logger, metrics, channels } = this.options;
    if (alert.notify === false) {
      metrics.skipped.inc({ reason: 'notify_false' });
      return [];
    }
    const jobs: { job: NotificationJob; kind: Channel['kind'] }[] = [];
    for (const channelId of new Set(alert.channels ?? [])) {
      const channel = channels.get(channelId);
      if (!channel?.enabled) {
        const reason = channel ? 'channel_disabled' : 'channel_unknown';
        metrics.skipped.inc({ reason });
        logger.warn({ alert_id: alert.alert_id, state: alert.state, channel: channelId, reason }, 'notification skipped');
        continue;
      }
      jobs.push({ job: { delivery_key: deliveryKeyOf(alert, channelId), channel_id: channelId, alert }, kind: channel.kind });
    }
    return jobs;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  // A late completion is harmless (job ids are idempotent); a late failure must not go unhandled.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
