import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { formatIssues, type AlertRule } from '@sightline/contracts';
import { AdminOnly } from '@sightline/service-kit';
import type { AlertingConfig } from '../alerting.config';
import { alertingErrors } from '../alerting-errors';
import { ALERT_RULES, ruleValidator, type AlertRules } from './rule-store';

/**
 * `/v1/alert-rules`: threshold and anomaly rules, stored durably in JetStream KV and applied by
 * every alerting instance at once. Requires `Authorization: Bearer <ALERTING_ADMIN_TOKEN>`.
 */
@Controller('v1/alert-rules')
@AdminOnly<AlertingConfig>('ALERTING_ADMIN_TOKEN')
export class RulesController {
  constructor(@Inject(ALERT_RULES) private readonly rules: AlertRules) {}

  @Get()
  list(): AlertRule[] {
    return this.rules.list();
  }

  @Get(':id')
  get(@Param('id') id: string): AlertRule {
    const rule = this.rules.get(id);
    if (!rule) throw alertingErrors.error('NOT_FOUND', `no alert rule ${id}`);
    return rule;
  }

  @Put(':id')
  async put(@Param('id') id: string, @Body() body: unknown): Promise<AlertRule> {
    const checked = ruleValidator.validate({ ...jsonObject(body), id });
    if (!checked.ok) throw alertingErrors.error('INVALID_RULE', `invalid rule: ${formatIssues(checked.issues)}`, { issues: checked.issues });
    return this.rules.put(checked.value);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await this.rules.delete(id))) throw alertingErrors.error('NOT_FOUND', `no alert rule ${id}`);
  }
}

/** The request body as a JSON object; INVALID_RULE when it is not one. */
function jsonObject(body: unknown): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? null));
  } catch (error) {
    throw alertingErrors.error('INVALID_RULE', `invalid rule: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw alertingErrors.error('INVALID_RULE', 'invalid rule: the body must be a JSON object', { issues: [] });
  return parsed;
}
