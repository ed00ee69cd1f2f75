import { Type, type Static, type TObject } from '@sinclair/typebox';
import { DEFAULT_HALF_LIFE_MS, DEFAULT_MAX_VALUES, type LearningOptions } from '@sightline/predictions';

/** The predictor's variables for predictions; merged into its configuration schema. */
export const PREDICTIONS_CONFIG = {
  PREDICTIONS_PUBLISH_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'ms of partition time between a model change and the snapshot that publishes it (at most one snapshot per property and partition per period)',
  }),
  PREDICTIONS_REFRESH_MS: Type.Integer({
    minimum: 1000,
    default: 3_600_000,
    description: 'ms after which an unchanged model is published again, so that stream retention never drops it',
  }),
  PREDICTIONS_HALF_LIFE_MS: Type.Integer({
    minimum: 0,
    default: DEFAULT_HALF_LIFE_MS,
    description: 'ms in which a learned view loses half its weight (0: never); applies to models created after a change',
  }),
  PREDICTIONS_MAX_VALUES: Type.Integer({ minimum: 1, default: DEFAULT_MAX_VALUES, description: 'values a model keeps per dimension (CDN, ASN, title, ...)' }),
};

/** The prediction variables, as their schema types them. */
export type PredictionsConfig = Static<TObject<typeof PREDICTIONS_CONFIG>>;

export function learningOptions(c: PredictionsConfig): LearningOptions {
  return {
    publishMs: c.PREDICTIONS_PUBLISH_MS,
    refreshMs: c.PREDICTIONS_REFRESH_MS,
    model: { halfLifeMs: c.PREDICTIONS_HALF_LIFE_MS, maxValues: c.PREDICTIONS_MAX_VALUES },
  };
}
