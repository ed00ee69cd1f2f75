import type { Provider, Type } from '@nestjs/common';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { ChannelsController } from './channels.controller';
import { DeliveriesController } from './deliveries.controller';
import { NotificationRuntime } from './notification-runtime';
import type { NotifyConfig } from './notify.config';
import { SilencesController } from './silences.controller';

export { NOTIFY_CONFIG, NotifyConfigSchema } from './notify.config';

/**
 * Notification delivery for the alerting module: the channel, silence and delivery API and the
 * runtime (outbox consumer, delivery worker), started with the module and stopped with it.
 * The service's config must include NOTIFY_CONFIG.
 */
export const NOTIFY_PARTS: { controllers: Type<unknown>[]; providers: Provider[] } = {
  controllers: [ChannelsController, SilencesController, DeliveriesController],
  providers: [
    {
      provide: NotificationRuntime,
      useFactory: (context: ServiceContext<NotifyConfig>) => NotificationRuntime.start(context),
      inject: [SERVICE_CONTEXT],
    },
  ],
};
