import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { streams, subjects, type Alert } from '@sightline/contracts';
import { CONTROL_HEADER } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';

/**
 * The latest transition of every alert, read from the alerts stream by every instance (an ordered
 * consumer from the start of the stream): what `GET /v1/alerts` lists and acknowledgement checks.
 */
@Injectable()
export class AlertIndex implements OnModuleInit, OnModuleDestroy {
  private readonly latest = new Map<string, Alert>();
  private messages: ConsumerMessages | undefined;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>) {}

  async onModuleInit(): Promise<void> {
    const { jetstream, topology } = this.context;
    const consumer = await jetstream.js.consumers.get(streams(topology).alerts.name, { filter_subjects: subjects.alertsAll(topology), deliver_policy: DeliverPolicy.All });
    this.messages = await consumer.consume();
    void (async () => {
      for await (const m of this.messages!) {
        if (m.headers?.get(CONTROL_HEADER)) continue;
        try {
          this.apply(m.json<Alert>());
        } catch (error) {
          this.context.logger.warn({ err: (error as Error).message, subject: m.subject }, 'alert not indexed');
        }
      }
    })();
  }

  async onModuleDestroy(): Promise<void> {
    await this.messages?.close();
  }

  /** Keeps the newest transition of each alert (an acknowledgement of an older firing does not hide a newer one). */
  apply(alert: Alert): void {
    const current = this.latest.get(alert.alert_id);
    if (current && (current.fired_at ?? current.at) > (alert.fired_at ?? alert.at)) return;
    if (current && alert.state === 'acknowledged' && current.state === 'resolved' && current.fired_at === alert.fired_at) return;
    this.latest.set(alert.alert_id, alert);
  }

  get(alertId: string): Alert | undefined {
    return this.latest.get(alertId);
  }

  list(state?: string, propertyId?: string): Alert[] {
    return [...this.latest.values()]
      .filter((a) => (state === undefined || a.state === state) && (propertyId === undefined || a.property_id === propertyId))
      .sort((a, b) => b.at - a.at);
  }
}
