import { Type } from '@sinclair/typebox';
import { partitionedInput, ScoredViewSchema } from '@sightline/contracts';
import { consumerBinding, serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { PREDICTOR_SCORES, PredictorHandlers } from './predictor.handlers';

const PredictorConfigSchema = serviceConfigSchema(8084, {
  ANOMALY_POOR_VIEW_THRESHOLD: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'overall scores below this are anomalous' }),
});

export const predictorService: ServiceDefinition<typeof PredictorConfigSchema> = {
  name: 'anomaly-predictor',
  configSchema: PredictorConfigSchema,
  module: (context) => serviceModule(context, { controllers: [PredictorHandlers] }),
  consumers: (context) => [
    consumerBinding(context.topology, PREDICTOR_SCORES, partitionedInput(context.topology, 'scores', 'final'), ScoredViewSchema),
  ],
};
