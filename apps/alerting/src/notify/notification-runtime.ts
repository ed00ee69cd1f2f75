import type { OnModuleDestroy } from '@nestjs/common';
import { streams, subjects, type Channel, type Silence } from '@sightline/contracts';
import type { WatchedBucket } from '@sightline/messaging';
import { closeRedis, redisConnection, redisReadiness, type ServiceContext } from '@sightline/service-kit';
import type { Redis } from 'ioredis';
import { AlertNotifier } from './alert-notifier';
import { DeliveryLog } from './delivery-log';
import { DeliveryWorker } from './delivery-worker';
import { NotificationQueues, queueNames } from './notification-queues';
import type { NotifyConfig } from './notify.config';
import { NotifyMetrics } from './notify-metrics';
import { openChannels, openSilences } from './settings-buckets';

/** Durable consumer of the alerts stream that feeds the notification queue. */
export const NOTIFIER_DURABLE = 'alerting-notifier';

/**
 * Notification delivery in one alerting process: the channel and silence stores (watched KV
 * buckets), the outbox from the alerts stream into the queue, the delivery worker, the log.
 * Started by `start`, stopped with the Nest module.
 */
export class NotificationRuntime implements OnModuleDestroy {
  private constructor(
    readonly config: NotifyConfig,
    readonly channels: WatchedBucket<Channel>,
    readonly silences: WatchedBucket<Silence>,
    readonly queues: NotificationQueues,
    readonly log: DeliveryLog,
    private readonly notifier: AlertNotifier,
    private readonly worker: DeliveryWorker,
    private readonly clients: Redis[],
  ) {}

  static async start(context: ServiceContext<NotifyConfig>): Promise<NotificationRuntime> {
    const { config, topology, jetstream, logger } = context;
    const namespace = topology.namespace;
    const channels = await openChannels(jetstream, namespace, { pagerDutyUrl: config.PAGERDUTY_URL }, logger);
    const silences = await openSilences(jetstream, namespace, logger);
    context.readiness.push(channels.readiness, silences.readiness);
    const metrics = new NotifyMetrics(context.metrics);
    const names = queueNames(namespace);
    // Two connections: BullMQ's worker blocks on its own; everything else fails fast on the other.
    const redis = redisConnection({ url: config.REDIS_URL, name: `${namespace}-notify`, role: 'commands', logger });
    const workerRedis = redisConnection({ url: config.REDIS_URL, name: `${namespace}-notify-worker`, role: 'worker', logger });
    context.readiness.push(redisReadiness(redis));
    const queues = new NotificationQueues(names, redis);
    const log = new DeliveryLog(redis, names.log, config.NOTIFY_LOG_MAX_ENTRIES);
    const keepS = Math.round(config.NOTIFY_KEEP_DAYS * 86_400);
    const backoff = { baseMs: config.NOTIFY_BACKOFF_MS, maxMs: config.NOTIFY_BACKOFF_MAX_MS };
    const notifier = new AlertNotifier({
      connection: jetstream,
      stream: streams(topology).alerts.name,
      filterSubject: subjects.alertsAll(topology),
      durable: NOTIFIER_DURABLE,
      deadLetterSubject: subjects.deadLetter(topology, NOTIFIER_DURABLE),
      queues,
      channels,
      jobOptions: { attempts: config.NOTIFY_MAX_ATTEMPTS, backoff: { type: 'jitter' }, removeOnComplete: { age: keepS }, removeOnFail: { age: keepS } },
      enqueueTimeoutMs: config.NOTIFY_ENQUEUE_TIMEOUT_MS,
      ackWaitMs: config.SIGHTLINE_ACK_WAIT_MS,
      retry: { baseMs: 200, maxMs: 5000 },
      logger,
      metrics,
    });
    const worker = new DeliveryWorker({
      queues,
      connection: workerRedis,
      redis,
      channels,
      silences,
      log,
      backoff,
      timeoutMs: config.NOTIFY_TIMEOUT_MS,
      concurrency: config.NOTIFY_CONCURRENCY,
      lockMs: config.NOTIFY_LOCK_MS,
      logger,
      metrics,
    });
    await notifier.start();
    logger.info({ queue: names.main, durable: NOTIFIER_DURABLE, channels: channels.list().length, silences: silences.list().length }, 'notifications started');
    return new NotificationRuntime(config, channels, silences, queues, log, notifier, worker, [redis, workerRedis]);
  }

  /**
   * Stops reading alerts, lets deliveries in progress finish (a few seconds at most; one cut
   * short is retried by another instance after NOTIFY_LOCK_MS), then closes Redis.
   */
  async onModuleDestroy(): Promise<void> {
    await this.notifier.stop();
    this.channels.close();
    this.silences.close();
    // Without Redis, BullMQ's close would wait for a connection that never comes (its own
    // duplicate of the worker connection included, which a forced close disconnects).
    const redisDown = this.clients.some((client) => client.status !== 'ready');
    if (redisDown) for (const client of this.clients) client.disconnect();
    await settleWithin(Promise.allSettled([this.worker.close(redisDown), this.queues.close()]), CLOSE_DEADLINE_MS);
    await Promise.all(this.clients.map((client) => closeRedis(client)));
  }
}

/** How long stopping waits for deliveries in progress, ms. */
const CLOSE_DEADLINE_MS = 5000;

async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
