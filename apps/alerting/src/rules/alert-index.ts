import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AlertSchema, streams, subjects, type Alert } from '@sightline/contracts';
import { supersedes } from '@sightline/alert-rules';
import { DurableWorker } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';

/**
 * The latest transition of every alert, read from the alerts stream by every instance (a replay
 * from the start of the stream): what `GET /v1/alerts` lists and acknowledgement checks. Ready
 * once it has read what the stream held at start.
 */
@Injectable()
export class AlertIndex implements OnModuleInit, OnModuleDestroy {
  private readonly latest = new Map<string, Alert>();
  private readonly worker: DurableWorker<typeof AlertSchema>;

  constructor(@Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>) {
    const { jetstream, topology, logger } = context;
    this.worker = new DurableWorker({
      connection: jetstream,
      stream: streams(topology).alerts.name,
      filterSubject: subjects.alertsAll(topology),
      reading: { kind: 'replay', from: 'start' },
      schema: AlertSchema,
      handle: (batch) => {
        for (const { value } of batch) this.apply(value);
      },
      logger,
    });
    context.readiness.push(this.worker.readiness('alert-index'));
  }

  onModuleInit(): Promise<void> {
    return this.worker.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.worker.stop();
  }

  /** Keeps the newest transition of each alert (an acknowledgement of an older firing does not hide a newer one). */
  apply(alert: Alert): void {
    if (supersedes(this.latest.get(alert.alert_id), alert)) this.latest.set(alert.alert_id, alert);
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
