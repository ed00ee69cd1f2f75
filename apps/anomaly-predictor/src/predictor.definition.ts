import { serviceConfigSchema, serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { ANOMALY_CONFIG } from './anomaly.config';
import { cohortStage } from './cohort.stage';
import { poorViewStage } from './poor-view.stage';
import { PREDICTIONS_CONFIG } from './predictions.config';
import { PredictionResponder } from './predictions.responder';
import { predictionsStage } from './predictions.stage';

const PredictorConfigSchema = serviceConfigSchema(8084, { ...ANOMALY_CONFIG, ...PREDICTIONS_CONFIG });

/**
 * Anomalies (the poor-view rule on final scores, the cohort detector on minute aggregates) and
 * predictions (models learned from final scores, answered on request).
 */
export const predictorService: ServiceDefinition<typeof PredictorConfigSchema> = {
  name: 'anomaly-predictor',
  configSchema: PredictorConfigSchema,
  module: (context) => serviceModule(context, { providers: [PredictionResponder] }),
  stages: (context) => [poorViewStage(context), cohortStage(context), predictionsStage(context)],
};
