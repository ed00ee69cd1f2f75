export { activityOf, MINUTE_MS } from './activity';
export type { ActivityCursor } from './activity';
export { ALL, OTHER, UNKNOWN, DIMENSIONS, DEFAULT_COMBINATIONS, cohortsOf, checkCombinations, CohortConfigError } from './cohorts';
export type { CohortOptions } from './cohorts';
export {
  createAccumulator,
  addActivity,
  mergeAccumulators,
  figuresOf,
  scoreBin,
  peakConcurrent,
  volumeOf,
  SKETCH_RELATIVE_ACCURACY,
} from './accumulator';
export type { CohortAccumulator, AggregateFigures } from './accumulator';
export { CohortAggregator, DEFAULT_AGGREGATOR_OPTIONS, HOUR_MS, boundCohorts } from './cohort-aggregator';
export type { AggregatorOptions, AggregatorOutput, SavedAggregator } from './cohort-aggregator';
