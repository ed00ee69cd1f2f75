import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { aggregatesStage } from './aggregates.stage';
import { aggregatorOptions, ScorerConfigSchema } from './scorer.config';
import { viewsStage } from './views.stage';

export const scorerService: ServiceDefinition<typeof ScorerConfigSchema> = {
  name: 'qoe-scorer',
  configSchema: ScorerConfigSchema,
  module: (context) => {
    // A bad combination of dimensions is refused before anything starts.
    aggregatorOptions(context.config);
    return serviceModule(context, {});
  },
  stages: (context) => [viewsStage(context), aggregatesStage(context)],
};
