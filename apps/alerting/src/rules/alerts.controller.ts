import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { subjects, type Alert } from '@sightline/contracts';
import { acknowledgement } from '@sightline/alert-rules';
import { encodeJson } from '@sightline/messaging';
import { AdminOnly, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { AlertingConfig } from '../alerting.config';
import { alertingErrors } from '../alerting-errors';
import { AlertIndex } from './alert-index';

/**
 * `/v1/alerts`: the current state of every alert (`?state=firing|resolved|acknowledged`,
 * `?property_id=`), and `POST /v1/alerts/:id/ack` to acknowledge a firing alert. The
 * acknowledgement is published as the transition `acknowledged` (once per firing: a repeated ack
 * is the same message) and notified like the others.
 */
@Controller('v1/alerts')
@AdminOnly<AlertingConfig>('ALERTING_ADMIN_TOKEN')
export class AlertsController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<AlertingConfig>,
    private readonly index: AlertIndex,
  ) {}

  @Get()
  list(@Query('state') state?: string, @Query('property_id') propertyId?: string): Alert[] {
    if (state !== undefined && !['firing', 'resolved', 'acknowledged'].includes(state)) throw alertingErrors.error('INVALID_REQUEST', `state must be firing, resolved or acknowledged, got ${state}`);
    return this.index.list(state, propertyId);
  }

  @Get(':id')
  get(@Param('id') id: string): Alert {
    const alert = this.index.get(id);
    if (!alert) throw alertingErrors.error('NOT_FOUND', `no alert ${id}`);
    return alert;
  }

  @Post(':id/ack')
  @HttpCode(200)
  async ack(@Param('id') id: string, @Body() body: unknown): Promise<Alert> {
    const parsed = (Buffer.isBuffer(body) ? safeJson(body.toString('utf8')) : body) as { by?: unknown } | undefined;
    const by = parsed?.by;
    if (typeof by !== 'string' || by.length === 0 || by.length > 128) throw alertingErrors.error('INVALID_REQUEST', 'body must be {"by": "<who acknowledges, 1-128 characters>"}');
    const alert = this.index.get(id);
    if (!alert) throw alertingErrors.error('NOT_FOUND', `no alert ${id}`);
    if (alert.state === 'acknowledged') return alert;
    const acknowledged = acknowledgement(alert, by, Date.now());
    if (!acknowledged) throw alertingErrors.error('NOT_FIRING', `alert ${id} is ${alert.state}: only a firing alert can be acknowledged`);
    await this.context.jetstream.publish(subjects.alert(this.context.topology, 'acknowledged'), encodeJson(acknowledged), { msgId: acknowledged.transition_id! });
    this.index.apply(acknowledged);
    return acknowledged;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
