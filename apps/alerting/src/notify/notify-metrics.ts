import { Counter, type Registry } from 'prom-client';

/** Prometheus metrics of notification delivery. */
export class NotifyMetrics {
  readonly enqueued: Counter<'channel_kind'>;
  readonly skipped: Counter<'reason'>;
  readonly enqueueFailures: Counter;
  readonly attempts: Counter<'channel_kind' | 'status'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.enqueued = new Counter({ name: 'alerting_notifications_enqueued_total', help: 'Notifications queued for delivery (a repeat of the same one is counted but not queued twice)', labelNames: ['channel_kind'], registers });
    this.skipped = new Counter({
      name: 'alerting_notifications_skipped_total',
      help: 'Notifications not queued: notify=false (flapping), unknown channel, disabled channel',
      labelNames: ['reason'],
      registers,
    });
    this.enqueueFailures = new Counter({ name: 'alerting_notifications_enqueue_failures_total', help: 'Failed attempts at queueing the notifications of a batch of alerts (Redis could not take them; the batch stays unacknowledged and is retried)', registers });
    this.attempts = new Counter({
      name: 'alerting_notification_attempts_total',
      help: 'Delivery attempts by outcome: delivered, failed (retried), dead, held (silenced), superseded',
      labelNames: ['channel_kind', 'status'],
      registers,
    });
  }
}
