import { Type } from '@sinclair/typebox';
import { SEVERITIES } from '@sightline/contracts';
import { serviceConfigSchema, type ServiceSettings } from '@sightline/service-kit';
import { NOTIFY_CONFIG } from './notify';

export const AlertingConfigSchema = serviceConfigSchema(8085, {
  ALERT_MIN_SEVERITY: Type.Union(
    SEVERITIES.map((s) => Type.Literal(s)),
    { default: 'warning', description: 'minimum severity of the default anomaly rule, created when no rule "anomalies" is stored' },
  ),
  ...NOTIFY_CONFIG,
  ALERTING_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'bearer token of the /v1/alert-rules, /v1/alerts, /v1/channels, /v1/silences and /v1/deliveries API (off when unset)' })),
});

export type AlertingConfig = ServiceSettings<typeof AlertingConfigSchema>;
