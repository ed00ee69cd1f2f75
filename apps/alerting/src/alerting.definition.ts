import { Type } from '@sinclair/typebox';
import { defaultAnomalyRule } from '@sightline/alert-rules';
import { SEVERITIES } from '@sightline/contracts';
import { serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { alertingStages } from './alerting.stages';
import { NOTIFY_CONFIG, NOTIFY_PARTS } from './notify';
import { RedisConnection } from './redis-connection';
import { AlertIndex } from './rules/alert-index';
import { AlertsController } from './rules/alerts.controller';
import { ALERT_RULES, openAlertRules, type AlertRules } from './rules/rule-store';
import { RulesController } from './rules/rules.controller';

const AlertingConfigSchema = serviceConfigSchema(8085, {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://', description: 'redis:// or rediss:// URL' }),
  ALERT_MIN_SEVERITY: Type.Union(
    SEVERITIES.map((s) => Type.Literal(s)),
    { default: 'warning', description: 'minimum severity of the default anomaly rule, created when no rule "anomalies" is stored' },
  ),
  ...NOTIFY_CONFIG,
  ALERTING_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'bearer token of the /v1/alert-rules, /v1/alerts, /v1/channels, /v1/silences and /v1/deliveries API (off when unset)' })),
});

export const alertingService: ServiceDefinition<typeof AlertingConfigSchema> = {
  name: 'alerting',
  configSchema: AlertingConfigSchema,
  module: (context) => {
    const redis = new RedisConnection(context.config.REDIS_URL, context.logger);
    context.readiness.push({ name: 'redis', check: () => redis.ping() });
    return serviceModule(context, {
      controllers: [RulesController, AlertsController, ...NOTIFY_PARTS.controllers],
      providers: [
        { provide: RedisConnection, useValue: redis },
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
    });
  },
  stages: (context, app) => alertingStages(context, app.get<AlertRules>(ALERT_RULES)),
};
