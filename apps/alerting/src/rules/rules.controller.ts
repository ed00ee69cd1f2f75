import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { formatIssues, type AlertRule } from '@sightline/contracts';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { requireAdmin } from '../notify/admin-guard';
import { AlertingError } from './alerting-error';
import { ALERT_RULES, ruleValidator, type AlertRules } from './rule-store';

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
    @Inject(ALERT_RULES) private readonly rules: AlertRules,
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
    const checked = ruleValidator.validate({ ...jsonObject(body), id });
    if (!checked.ok) throw new AlertingError('INVALID_RULE', `invalid rule: ${formatIssues(checked.issues)}`, { issues: checked.issues });
    return this.rules.put(checked.value);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers('authorization') authorization: string | undefined): Promise<void> {
    requireAdmin(this.context.config.ALERTING_ADMIN_TOKEN, authorization);
    if (!(await this.rules.delete(id))) throw new AlertingError('NOT_FOUND', `no alert rule ${id}`);
  }
}

/** The request body as a JSON object; INVALID_RULE when it is not one. */
function jsonObject(body: unknown): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? null));
  } catch (error) {
    throw new AlertingError('INVALID_RULE', `invalid rule: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AlertingError('INVALID_RULE', 'invalid rule: the body must be a JSON object', { issues: [] });
  return parsed;
}
