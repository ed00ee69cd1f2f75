import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import type { AlertRule } from '@sightline/contracts';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { requireAdmin } from '../notify/admin-guard';
import { AlertingError } from './alerting-error';
import { parseRule, RuleError, RuleStore } from './rule-store';

interface AdminSettings {
  ALERTING_ADMIN_TOKEN?: string;
}

/**
 * `/v1/alert-rules`: threshold and anomaly rules, stored durably in JetStream KV and applied by
 * every alerting instance at once. Requires `Authorization: Bearer <ALERTING_ADMIN_TOKEN>`.
 */
@Controller('v1/alert-rules')
export class RulesController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<AdminSettings>,
    private readonly rules: RuleStore,
  ) {}

  @Get()
  list(@Headers('authorization') authorization: string | undefined): AlertRule[] {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    return this.rules.list();
  }

  @Get(':id')
  get(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): AlertRule {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    const rule = this.rules.get(id);
    if (!rule) throw new AlertingError('NOT_FOUND', `no alert rule ${id}`);
    return rule;
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown, @Headers('authorization') authorization: string | undefined): Promise<AlertRule> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    let rule: AlertRule;
    try {
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? null);
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new RuleError('invalid rule: the body must be a JSON object', []);
      rule = parseRule({ ...parsed, id });
    } catch (error) {
      if (error instanceof RuleError) throw new AlertingError('INVALID_RULE', error.message, { issues: error.issues });
      throw new AlertingError('INVALID_RULE', `invalid rule: ${(error as Error).message}`);
    }
    await this.rules.put(rule);
    return rule;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): Promise<void> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    if (!(await this.rules.remove(id))) throw new AlertingError('NOT_FOUND', `no alert rule ${id}`);
  }
}
