import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { alertFor, type AnomalyAlertRule } from '@sightline/alert-rules';
import { subjects, type Anomaly } from '@sightline/contracts';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';

export const ALERTING_ANOMALIES = 'alerting.anomalies';
export const ANOMALY_RULE = Symbol('ANOMALY_RULE');

/** Turns anomalies into alerts by the configured rule and publishes them on `alerts.firing`. */
@Controller()
export class AlertingHandlers {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>,
    @Inject(ANOMALY_RULE) private readonly rule: AnomalyAlertRule,
  ) {}

  @EventPattern(ALERTING_ANOMALIES)
  onAnomaly(@Payload() anomaly: Anomaly, @Ctx() ctx: JetStreamContext): void {
    const alert = alertFor(this.rule, anomaly);
    if (alert) ctx.emit(subjects.alert(this.context.topology, alert.state), alert);
  }
}
