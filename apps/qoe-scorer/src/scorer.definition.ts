import { partitionedInput, ViewSnapshotSchema } from '@sightline/contracts';
import { consumerBinding, serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { SCORER_VIEWS, ScorerHandlers } from './scorer.handlers';

const ScorerConfigSchema = serviceConfigSchema(8083, {});

export const scorerService: ServiceDefinition<typeof ScorerConfigSchema> = {
  name: 'qoe-scorer',
  configSchema: ScorerConfigSchema,
  module: (context) => serviceModule(context, { controllers: [ScorerHandlers] }),
  consumers: (context) => [
    consumerBinding(context.topology, SCORER_VIEWS, partitionedInput(context.topology, 'views'), ViewSnapshotSchema),
  ],
};
