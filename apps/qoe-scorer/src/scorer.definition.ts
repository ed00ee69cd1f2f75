import { partitionedInput, singleInput, ViewActivitySchema, ViewSnapshotSchema } from '@sightline/contracts';
import { consumerBinding, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { aggregatorOptions, ScorerConfigSchema } from './scorer.config';
import { AGGREGATOR_KEY, SCORER_AGGREGATE_TIMERS, SCORER_AGGREGATES, SCORER_VIEW_TIMERS, SCORER_VIEWS, ScorerHandlers, viewKey } from './scorer.handlers';

export const scorerService: ServiceDefinition<typeof ScorerConfigSchema> = {
  name: 'qoe-scorer',
  configSchema: ScorerConfigSchema,
  module: (context) => {
    aggregatorOptions(context.config);
    return serviceModule(context, { controllers: [ScorerHandlers] });
  },
  consumers: (context) => [
    consumerBinding(context.topology, SCORER_VIEWS, partitionedInput(context.topology, 'views'), ViewSnapshotSchema, {
      keyOf: viewKey,
      timerPattern: SCORER_VIEW_TIMERS,
    }),
    consumerBinding(context.topology, SCORER_AGGREGATES, singleInput(context.topology, 'activity'), ViewActivitySchema, {
      keyOf: () => AGGREGATOR_KEY,
      timerPattern: SCORER_AGGREGATE_TIMERS,
    }),
  ],
};
