import { Type } from '@sinclair/typebox';
import { AnomalySchema, SEVERITIES, singleInput } from '@sightline/contracts';
import { consumerBinding, serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { ALERTING_ANOMALIES, ANOMALY_RULE, AlertingHandlers } from './alerting.handlers';
import { RedisConnection } from './redis-connection';

const AlertingConfigSchema = serviceConfigSchema(8085, {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://', description: 'redis:// or rediss:// URL' }),
  ALERT_MIN_SEVERITY: Type.Union(
    SEVERITIES.map((s) => Type.Literal(s)),
    { default: 'warning' },
  ),
});

export const alertingService: ServiceDefinition<typeof AlertingConfigSchema> = {
  name: 'alerting',
  configSchema: AlertingConfigSchema,
  module: (context) => {
    const redis = new RedisConnection(context.config.REDIS_URL, context.logger);
    context.readiness.push({ name: 'redis', check: () => redis.ping() });
    return serviceModule(context, {
      controllers: [AlertingHandlers],
      providers: [
        { provide: ANOMALY_RULE, useValue: { id: 'anomalies', minSeverity: context.config.ALERT_MIN_SEVERITY } },
        { provide: RedisConnection, useValue: redis },
      ],
    });
  },
  consumers: (context) => [
    consumerBinding(context.topology, ALERTING_ANOMALIES, singleInput(context.topology, 'anomalies'), AnomalySchema),
  ],
};
