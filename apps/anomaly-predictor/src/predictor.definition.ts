import { Type } from '@sinclair/typebox';
import { CohortAggregateSchema, partitionedInput, ScoredViewSchema, streamName, type PartitionedInput, type Topology } from '@sightline/contracts';
import { DEFAULT_DETECTOR_OPTIONS } from '@sightline/anomaly';
import { consumerBinding, serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { CohortHandlers, PREDICTOR_AGGREGATES } from './cohort.handlers';
import { PREDICTIONS_CONFIG } from './predictions.config';
import { predictionBindings } from './predictions.handlers';
import { PREDICTIONS_PARTS } from './predictions.module';
import { PREDICTOR_SCORES, PredictorHandlers } from './predictor.handlers';

const d = DEFAULT_DETECTOR_OPTIONS;

const PredictorConfigSchema = serviceConfigSchema(8084, {
  ANOMALY_POOR_VIEW_THRESHOLD: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'overall scores below this are anomalous' }),
  ANOMALY_FIRE_Z: Type.Number({ exclusiveMinimum: 0, default: d.fireZ, description: 'standard deviations above its baseline that make a cohort anomalous' }),
  ANOMALY_PERSIST_MS: Type.Integer({ minimum: 0, default: d.persistMs, description: 'how long an anomaly must last before it is published' }),
  ANOMALY_RESOLVE_MS: Type.Integer({ minimum: 0, default: d.resolveMs, description: 'how long normal before an anomaly resolves (until then it is not published again)' }),
  ANOMALY_SEASONAL_DAYS: Type.Integer({ minimum: 1, default: d.baseline.seasonalDays, description: 'days of history before hour-of-day baselines are used' }),
  ...PREDICTIONS_CONFIG,
});

/** The minute aggregates, read as one partition (the hours are not judged). */
function minuteAggregates(t: Topology): PartitionedInput {
  return {
    stream: streamName(t, 'aggregates'),
    partitions: 1,
    filter: () => `${t.namespace}.v1.aggregates.minute.>`,
    tickSubject: () => `${t.namespace}.v1.aggregates._tick`,
  };
}

export const predictorService: ServiceDefinition<typeof PredictorConfigSchema> = {
  name: 'anomaly-predictor',
  configSchema: PredictorConfigSchema,
  module: (context) =>
    serviceModule(context, { controllers: [PredictorHandlers, CohortHandlers, ...PREDICTIONS_PARTS.controllers], providers: PREDICTIONS_PARTS.providers }),
  consumers: (context) => [
    consumerBinding(context.topology, PREDICTOR_SCORES, partitionedInput(context.topology, 'scores', 'final'), ScoredViewSchema),
    consumerBinding(context.topology, PREDICTOR_AGGREGATES, minuteAggregates(context.topology), CohortAggregateSchema, {
      keyOf: (aggregate: { property_id: string }) => aggregate.property_id,
    }),
    ...predictionBindings(context),
  ],
};
