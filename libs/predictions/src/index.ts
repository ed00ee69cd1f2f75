export { recordOf, contextOf } from './record';
export type { TrainingRecord } from './record';
export { emptyModel, learn, DEFAULT_HALF_LIFE_MS, DEFAULT_MAX_VALUES } from './model';
export { predictStart, predictProgress, START_BITRATE_SAFETY } from './predict';
export { learnScore, publishModel } from './learning';
export type { LearningOptions, LearningStep } from './learning';
export { PartialModels } from './partial-models';
export { answerRequest } from './requests';
export type { PredictionKind } from './requests';
