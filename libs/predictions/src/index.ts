export { recordOf, contextOf } from './record';
export type { TrainingRecord, ViewOutcome } from './record';
export { emptyModel, learn, mergeModels, dimensionValues, DEFAULT_HALF_LIFE_MS, DEFAULT_MAX_VALUES } from './model';
export type { ModelOptions } from './model';
export { predictStart, predictProgress, START_BITRATE_SAFETY, DEFAULT_HORIZON_MS } from './predict';
export { shrink, priorStrength, logit, sigmoid } from './shrinkage';
export type { Observed, StrengthBounds } from './shrinkage';
