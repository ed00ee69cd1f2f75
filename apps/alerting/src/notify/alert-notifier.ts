import type { JsMsg } from '@nats-io/jetstream';
import { AlertSchema, compileValidator, type Alert, type Channel } from '@sightline/contracts';
import { ensureDurable, retryDelayMs, type JetStreamConnection } from '@sightline/messaging';
import { deliveryKeyOf, type NotificationJob } from '@sightline/notifications';
import { InterruptibleSleep } from '@sightline/runtime';
import type { Logger } from '@sightline/runtime';
import type { JobsOptions } from 'bullmq';
import { jobIdOf } from './job-id';
import { NOTIFY_JOB, type NotificationQueues } from './notification-queues';
import type { NotifyMetrics } from './notify-metrics';
import type { SettingsStore } from './settings-store';

export interface AlertNotifierOptions {
  readonly connection: JetStreamConnection;
  /** The alerts stream and the subjects of it to read. */
  readonly stream: string;
  readonly filterSubject: string;
  /** Durable consumer name (`alerting-notifier`): shared by every alerting instance. */
  readonly durable: string;
  readonly queues: NotificationQueues;
  readonly channels: SettingsStore<Channel>;
  /** Options of every job: attempts, backoff, retention. */
  readonly jobOptions: Omit<JobsOptions, 'jobId'>;
  /** How long an enqueue may wait for Redis before it counts as failed, ms. */
  readonly enqueueTimeoutMs: number;
  /** The durable's ack wait, ms. */
  readonly ackWaitMs: number;
  /** Alerts handed out and not yet acknowledged, at most. Default 256. */
  readonly maxAckPending?: number;
  /** Pause after a failed enqueue: capped exponential, ms. */
  readonly retry: { readonly baseMs: number; readonly maxMs: number };
  readonly logger: Logger;
  readonly metrics: NotifyMetrics;
}

const alertValidator = compileValidator(AlertSchema);

/**
 * The outbox of notifications: reads the alerts stream with a plain durable consumer and, for
 * every alert to notify, queues one job per channel under a job id derived from the transition
 * and the channel, then acknowledges. A repeated alert (redelivery, a replay, a crash between
 * enqueue and ack) finds its jobs already queued and adds nothing. While Redis is unreachable
 * the alert stays unacknowledged and is redelivered, so deciding and publishing alerts never
 * waits for Redis and no notification is lost.
 */
export class AlertNotifier {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly sleeper = new InterruptibleSleep();

  constructor(private readonly options: AlertNotifierOptions) {}

  async start(): Promise<void> {
    const { connection, stream, durable, filterSubject, ackWaitMs, maxAckPending = 256 } = this.options;
    await ensureDurable(connection.jsm, { stream, durable, filterSubject, ackWaitMs, maxDeliver: -1, maxAckPending });
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the alert in hand; alerts fetched and not queued are handed back (nak). */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { logger, metrics, retry } = this.options;
    let failures = 0;
    while (this.running) {
      let batch: JsMsg[];
      try {
        batch = await this.fetch();
      } catch (error) {
        failures++;
        logger.warn({ err: (error as Error).message }, 'cannot fetch alerts; retrying');
        await this.sleeper.sleep(retryDelayMs(failures, retry.baseMs, retry.maxMs));
        continue;
      }
      for (const [index, msg] of batch.entries()) {
        if (!this.running) {
          for (const rest of batch.slice(index)) rest.nak();
          break;
        }
        try {
          await this.notify(msg);
          msg.ack();
          failures = 0;
        } catch (error) {
          failures++;
          metrics.enqueueFailures.inc();
          const delayMs = retryDelayMs(failures, retry.baseMs, retry.maxMs);
          const log = failures === 1 || failures % 20 === 0 ? logger.warn.bind(logger) : logger.debug.bind(logger);
          log({ seq: msg.seq, failures, delayMs, err: (error as Error).message }, 'cannot queue notifications (Redis unavailable?); the alert stays unacknowledged');
          for (const rest of batch.slice(index)) rest.nak(delayMs);
          await this.sleeper.sleep(delayMs);
          break;
        }
      }
    }
  }

  private async fetch(): Promise<JsMsg[]> {
    const consumer = await this.options.connection.js.consumers.get(this.options.stream, this.options.durable);
    const messages = await consumer.fetch({ max_messages: 64, expires: 1000 });
    const batch: JsMsg[] = [];
    for await (const msg of messages) batch.push(msg);
    return batch;
  }

  /** Queues the notifications of one alert message; throws when Redis did not take them all. */
  private async notify(msg: JsMsg): Promise<void> {
    const { logger, metrics } = this.options;
    let value: unknown;
    try {
      value = msg.json();
    } catch {
      value = undefined;
    }
    const checked = alertValidator.validate(value, 1);
    if (!checked.ok) {
      metrics.skipped.inc({ reason: 'invalid_alert' });
      logger.warn({ seq: msg.seq, subject: msg.subject, err: checked.issues[0]?.message }, 'not a valid alert; no notification');
      return;
    }
    const jobs = this.jobsOf(checked.value);
    if (jobs.length === 0) return;
    const { queues, jobOptions, enqueueTimeoutMs } = this.options;
    const adds = Promise.all(jobs.map(({ job }) => queues.main.add(NOTIFY_JOB, job, { ...jobOptions, jobId: jobIdOf(job.delivery_key) })));
    await withTimeout(adds, enqueueTimeoutMs, `Redis did not take the notifications within ${enqueueTimeoutMs} ms`);
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
