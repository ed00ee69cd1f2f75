import { Controller, Get, Headers, Inject, Query } from '@nestjs/common';
import type { DeadNotification, DeliveryRecord } from '@sightline/notifications';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { requireAdmin } from './admin-guard';
import { NotificationRuntime } from './notification-runtime';
import { NotifyError } from './notify-error';
import type { NotifyConfig } from './notify.config';

/** `/v1/deliveries`: the delivery log (newest first) and the dead-letter queue. */
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<NotifyConfig>,
    private readonly runtime: NotificationRuntime,
  ) {}

  @Get()
  async log(
    @Headers('authorization') authorization: string | undefined,
    @Query('alert_id') alertId: string | undefined,
    @Query('limit') limit: string | undefined,
  ): Promise<DeliveryRecord[]> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    return unavailableWithoutRedis(() => this.runtime.log.recent({ ...(alertId ? { alertId } : {}), limit: limitOf(limit) }));
  }

  @Get('dead')
  async dead(@Headers('authorization') authorization: string | undefined, @Query('limit') limit: string | undefined): Promise<(DeadNotification & { id: string })[]> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    const jobs = await unavailableWithoutRedis(() => this.runtime.queues.dead.getJobs(['waiting', 'delayed', 'failed'], 0, limitOf(limit) - 1, false));
    return jobs.map((job) => ({ id: job.id ?? '', ...job.data }));
  }
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 100;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new NotifyError('INVALID_QUERY', 'limit must be an integer from 1 to 1000', { field: 'limit' });
  return limit;
}

async function unavailableWithoutRedis<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new NotifyError('STORE_UNAVAILABLE', `the delivery store (Redis) is unavailable: ${(error as Error).message}`);
  }
}
