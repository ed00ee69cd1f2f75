import { EventBatchSchema, partitionedInput } from '@sightline/contracts';
import { consumerBinding, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { SessionizerConfigSchema } from './sessionizer.config';
import { SESSIONIZER_EVENTS, SESSIONIZER_TIMERS, SessionizerHandlers, viewKey } from './sessionizer.handlers';

export const sessionizerService: ServiceDefinition<typeof SessionizerConfigSchema> = {
  name: 'sessionizer',
  configSchema: SessionizerConfigSchema,
  module: (context) => serviceModule(context, { controllers: [SessionizerHandlers] }),
  consumers: (context) => [
    consumerBinding(context.topology, SESSIONIZER_EVENTS, partitionedInput(context.topology, 'events'), EventBatchSchema, {
      timerPattern: SESSIONIZER_TIMERS,
      keyOf: viewKey,
    }),
  ],
};
