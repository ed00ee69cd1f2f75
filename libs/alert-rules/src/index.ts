export { newInstance, step, deadlineOf, retire, FLAP_TRANSITIONS, FLAP_WINDOW_MS, STALE_MS } from './lifecycle';
export type { AlertInstance, Observation, Timing } from './lifecycle';
export {
  figureOf,
  watches,
  aggregateCohort,
  thresholdAlertId,
  observeThreshold,
  takes,
  anomalyAlertId,
  observeAnomaly,
  timingOf,
  defaultAnomalyRule,
  ruleProblems,
} from './rules';
