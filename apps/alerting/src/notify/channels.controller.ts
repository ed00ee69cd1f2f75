import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import type { Channel } from '@sightline/contracts';
import { parseChannel } from '@sightline/notifications';
import { AdminOnly, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { alertingErrors } from '../alerting-errors';
import { NotificationRuntime } from './notification-runtime';
import type { NotifyConfig } from './notify.config';
import { documentWithId } from './request-body';

/** Channels as the API shows them: a webhook's secret is never sent back. */
type ChannelView = Omit<Channel, 'secret'> & { secret?: '***' };

/**
 * `/v1/channels`: where notifications go (webhook, Slack, PagerDuty), kept in the KV bucket
 * `<ns>-alerting-channels`; every alerting instance applies a change at once.
 */
@Controller('v1/channels')
@AdminOnly<NotifyConfig>('ALERTING_ADMIN_TOKEN')
export class ChannelsController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<NotifyConfig>,
    private readonly runtime: NotificationRuntime,
  ) {}

  @Get()
  list(): ChannelView[] {
    return this.runtime.channels.list().map(view);
  }

  @Get(':id')
  get(@Param('id') id: string): ChannelView {
    const channel = this.runtime.channels.get(id);
    if (!channel) throw alertingErrors.error('NOT_FOUND', `no channel ${id}`);
    return view(channel);
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown): Promise<ChannelView> {
    const parsed = parseChannel(documentWithId(body, id), { pagerDutyUrl: this.context.config.PAGERDUTY_URL });
    if (!parsed.ok) throw alertingErrors.error(parsed.issue.code, parsed.issue.message, { field: parsed.issue.field });
    await this.runtime.channels.put(parsed.value);
    return view(parsed.value);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await this.runtime.channels.delete(id))) throw alertingErrors.error('NOT_FOUND', `no channel ${id}`);
  }
}

function view(channel: Channel): ChannelView {
  const { secret, ...rest } = channel;
  return secret ? { ...rest, secret: '***' } : rest;
}
