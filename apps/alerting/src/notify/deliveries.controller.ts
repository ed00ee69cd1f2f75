import { Controller, Get, Query } from '@nestjs/common';
import type { DeadNotification, DeliveryRecord } from '@sightline/notifications';
import { AdminOnly } from '@sightline/service-kit';
import { alertingErrors } from '../alerting-errors';
import { NotificationRuntime } from './notification-runtime';
import type { NotifyConfig } from './notify.config';

/** `/v1/deliveries`: the delivery log (newest first) and the dead-letter queue. */
@Controller('v1/deliveries')
@AdminOnly<NotifyConfig>('ALERTING_ADMIN_TOKEN')
export class DeliveriesController {
  constructor(private readonly runtime: NotificationRuntime) {}

  @Get()
  async log(
    @Query('alert_id') alertId: string | undefined,
    @Query('limit') limit: string | undefined,
  ): Promise<DeliveryRecord[]> {
    return unavailableWithoutRedis(() => this.runtime.log.recent({ ...(alertId ? { alertId } : {}), limit: limitOf(limit) }));
  }

  @Get('dead')
  async dead( @Query('limit') limit: string | undefined): Promise<(DeadNotification & { id: string })[]> {
    const jobs = await unavailableWithoutRedis(() => this.runtime.queues.dead.getJobs(['waiting', 'delayed', 'failed'], 0, limitOf(limit) - 1, false));
    return jobs.map((job) => ({ id: job.id ?? '', ...job.data }));
  }
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 100;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw alertingErrors.error('INVALID_QUERY', 'limit must be an integer from 1 to 1000', { field: 'limit' });
  return limit;
}

async function unavailableWithoutRedis<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw alertingErrors.error('STORE_UNAVAILABLE', `the delivery store (Redis) is unavailable: ${(error as Error).message}`);
  }
}
