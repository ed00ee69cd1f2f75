import { defaultAnomalyRule } from '@sightline/alert-rules';
import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { AlertingConfigSchema } from './alerting.config';
import { alertingStages } from './alerting.stages';
import { NOTIFY_PARTS } from './notify';
import { AlertIndex } from './rules/alert-index';
import { AlertsController } from './rules/alerts.controller';
import { ALERT_RULES, openAlertRules, type AlertRules } from './rules/rule-store';
import { RulesController } from './rules/rules.controller';

export const alertingService: ServiceDefinition<typeof AlertingConfigSchema> = {
  name: 'alerting',
  configSchema: AlertingConfigSchema,
  module: (context) =>
    serviceModule(context, {
      controllers: [RulesController, AlertsController, ...NOTIFY_PARTS.controllers],
      providers: [
        {
          provide: ALERT_RULES,
          useFactory: async () => {
            const rules = await openAlertRules(context.jetstream, context.topology.namespace, [defaultAnomalyRule(context.config.ALERT_MIN_SEVERITY)], context.logger);
            context.readiness.push(rules.readiness);
            return rules;
          },
        },
        AlertIndex,
        ...NOTIFY_PARTS.providers,
      ],
    }),
  stages: (context, app) => alertingStages(context, app.get<AlertRules>(ALERT_RULES)),
};
