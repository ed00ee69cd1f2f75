import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { subjects, type Alert } from '@sightline/contracts';
import { publishJson } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { requireAdmin } from '../notify/admin-guard';
import { AlertingError } from './alerting-error';
import { AlertIndex } from './alert-index';

interface AdminSettings {
  ALERTING_ADMIN_TOKEN?: string;
}

/**
 * `/v1/alerts`: the current state of every alert (`?state=firing|resolved|acknowledged`,
 * `?property_id=`), and `POST /v1/alerts/:id/ack` to acknowledge a firing alert. The
 * acknowledgement is published as the transition `acknowledged` (once per firing: a repeated ack
 * is the same message) and notified like the others.
 */
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<AdminSettings>,
    private readonly index: AlertIndex,
  ) {}

  @Get()
  list(@Headers('authorization') authorization: string | undefined, @Query('state') state?: string, @Query('property_id') propertyId?: string): Alert[] {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    if (state !== undefined && !['firing', 'resolved', 'acknowledged'].includes(state)) throw new AlertingError('INVALID_REQUEST', `state must be firing, resolved or acknowledged, got ${state}`);
    return this.index.list(state, propertyId);
  }

  @Get(':id')
  get(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): Alert {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    const alert = this.index.get(id);
    if (!alert) throw new AlertingError('NOT_FOUND', `no alert ${id}`);
    return alert;
  }

  @Post(':id/ack')
  @HttpCode(200)
  async ack(@Param('id') id: string, @Body() body: unknown, @Headers('authorization') authorization: string | undefined): Promise<Alert> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    const parsed = (Buffer.isBuffer(body) ? safeJson(body.toString('utf8')) : body) as { by?: unknown } | undefined;
    const by = parsed?.by;
    if (typeof by !== 'string' || by.length === 0 || by.length > 128) throw new AlertingError('INVALID_REQUEST', 'body must be {"by": "<who acknowledges, 1-128 characters>"}');
    const alert = this.index.get(id);
    if (!alert) throw new AlertingError('NOT_FOUND', `no alert ${id}`);
    if (alert.state === 'acknowledged') return alert;
    if (alert.state !== 'firing') throw new AlertingError('NOT_FIRING', `alert ${id} is ${alert.state}: only a firing alert can be acknowledged`);
    const firedAt = alert.fired_at ?? alert.at;
    const acknowledged: Alert = {
      ...alert,
      state: 'acknowledged',
      at: Date.now(),
      acknowledged_by: by,
      transition_id: `${alert.alert_id}:acknowledged:${firedAt}`,
      notify: alert.notify ?? true,
    };
    await publishJson(this.context.jetstream.js, { subject: subjects.alert(this.context.topology, 'acknowledged'), payload: acknowledged, msgId: acknowledged.transition_id! });
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
