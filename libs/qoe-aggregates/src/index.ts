export { activityOf } from './activity';
export type { ActivityCursor } from './activity';
export { checkCombinations } from './cohorts';
export { CohortAggregator, DEFAULT_AGGREGATOR_OPTIONS } from './cohort-aggregator';
export type { AggregatorOptions } from './cohort-aggregator';
export { AGGREGATOR_KEY, aggregateActivity, advanceAggregator, aggregatorCodec } from './aggregator-step';
export type { AggregatorStep } from './aggregator-step';
export { viewKey, scoreSnapshot, forgetView } from './view-scoring';
export type { ViewScoring } from './view-scoring';
