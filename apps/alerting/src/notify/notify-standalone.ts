/**
 * Notification delivery alone, as its own service (no alert rules): the outbox consumer, the
 * delivery worker and the API. Used by the crash tests; the same parts run in alerting.
 */
import { main, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { NOTIFY_PARTS, NotifyConfigSchema } from './index';

export const notifyStandaloneService: ServiceDefinition<typeof NotifyConfigSchema> = {
  name: 'alerting-notify',
  configSchema: NotifyConfigSchema,
  module: (context) => serviceModule(context, NOTIFY_PARTS),
};

if (require.main === module) main(notifyStandaloneService);
