import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { SessionizerConfigSchema } from './sessionizer.config';
import { sessionizerStage } from './sessionizer.stage';

export const sessionizerService: ServiceDefinition<typeof SessionizerConfigSchema> = {
  name: 'sessionizer',
  configSchema: SessionizerConfigSchema,
  module: (context) => serviceModule(context, {}),
  stages: (context) => [sessionizerStage(context)],
};
