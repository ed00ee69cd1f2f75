/**
 * Notification delivery alone, as its own service (no alert rules): the outbox consumer, the
 * delivery worker and the API. Used by the crash tests; the same parts run in alerting.
 */
import { Type } from '@sinclair/typebox';
import { main, serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { NOTIFY_CONFIG, NOTIFY_PARTS } from './index';

const NotifyStandaloneConfigSchema = serviceConfigSchema(8095, {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://' }),
  ...NOTIFY_CONFIG,
});

export const notifyStandaloneService: ServiceDefinition<typeof NotifyStandaloneConfigSchema> = {
  name: 'alerting-notify',
  configSchema: NotifyStandaloneConfigSchema,
  module: (context) => serviceModule(context, NOTIFY_PARTS),
};

if (require.main === module) main(notifyStandaloneService);
