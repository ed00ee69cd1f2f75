import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import type { Silence } from '@sightline/contracts';
import { parseSilence } from '@sightline/notifications';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { requireAdmin } from './admin-guard';
import { NotificationRuntime } from './notification-runtime';
import { NotifyError } from './notify-error';
import type { NotifyConfig } from './notify.config';
import { documentWithId } from './request-body';

/**
 * `/v1/silences`: matchers and a time range that hold notifications back, kept in the KV bucket
 * `<ns>-alerting-silences`; every alerting instance applies a change at once. Ended silences
 * stay until deleted (they hold nothing).
 */
@Controller('v1/silences')
export class SilencesController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<NotifyConfig>,
    private readonly runtime: NotificationRuntime,
  ) {}

  @Get()
  list(@Headers('authorization') authorization: string | undefined): Silence[] {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    return this.runtime.silences.list();
  }

  @Get(':id')
  get(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): Silence {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    const silence = this.runtime.silences.get(id);
    if (!silence) throw new NotifyError('NOT_FOUND', `no silence ${id}`);
    return silence;
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown, @Headers('authorization') authorization: string | undefined): Promise<Silence> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    const parsed = parseSilence(documentWithId(body, id));
    if (!parsed.ok) throw new NotifyError(parsed.issue.code, parsed.issue.message, { field: parsed.issue.field });
    await this.runtime.silences.put(parsed.value);
    return parsed.value;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): Promise<void> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    if (!(await this.runtime.silences.delete(id))) throw new NotifyError('NOT_FOUND', `no silence ${id}`);
  }
}
