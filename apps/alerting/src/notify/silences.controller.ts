import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import type { Silence } from '@sightline/contracts';
import { parseSilence } from '@sightline/notifications';
import { AdminOnly } from '@sightline/service-kit';
import { alertingErrors } from '../alerting-errors';
import { NotificationRuntime } from './notification-runtime';
import type { NotifyConfig } from './notify.config';
import { documentWithId } from './request-body';

/**
 * `/v1/silences`: matchers and a time range that hold notifications back, kept in the KV bucket
 * `<ns>-alerting-silences`; every alerting instance applies a change at once. Ended silences
 * stay until deleted (they hold nothing).
 */
@Controller('v1/silences')
@AdminOnly<NotifyConfig>('ALERTING_ADMIN_TOKEN')
export class SilencesController {
  constructor(private readonly runtime: NotificationRuntime) {}

  @Get()
  list(): Silence[] {
    return this.runtime.silences.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Silence {
    const silence = this.runtime.silences.get(id);
    if (!silence) throw alertingErrors.error('NOT_FOUND', `no silence ${id}`);
    return silence;
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown): Promise<Silence> {
    const parsed = parseSilence(documentWithId(body, id));
    if (!parsed.ok) throw alertingErrors.error(parsed.issue.code, parsed.issue.message, { field: parsed.issue.field });
    await this.runtime.silences.put(parsed.value);
    return parsed.value;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await this.runtime.silences.delete(id))) throw alertingErrors.error('NOT_FOUND', `no silence ${id}`);
  }
}
