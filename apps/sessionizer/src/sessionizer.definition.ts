import { EventBatchSchema, subjects } from '@sightline/contracts';
import { consumerBinding, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { SessionizerConfigSchema } from './sessionizer.config';
import { SESSIONIZER_EVENTS, SessionizerHandlers } from './sessionizer.handlers';
import { ViewStore } from './view-store';

export const sessionizerService: ServiceDefinition<typeof SessionizerConfigSchema> = {
  name: 'sessionizer',
  configSchema: SessionizerConfigSchema,
  module: (context) =>
    serviceModule(context, {
      controllers: [SessionizerHandlers],
      providers: [
        {
          provide: ViewStore,
          useFactory: () => ViewStore.open(context.jetstream, context.topology, context.config.SESSIONIZER_STATE_TTL_HOURS * 3600_000),
        },
      ],
    }),
  consumers: (context) => [
    consumerBinding(context.topology, SESSIONIZER_EVENTS, 'events', subjects.eventsAll(context.topology), EventBatchSchema),
  ],
};
