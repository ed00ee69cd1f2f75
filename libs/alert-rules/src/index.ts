export { aggregateKey, anomalyKey } from './alert-keys';
export { stepAggregate, stepAlertTimer, stepAnomaly } from './cohort-alerts';
export type { AlertStep, CohortAlerts, RuleLookup } from './cohort-alerts';
export { defaultAnomalyRule, ruleProblems } from './rules';
export { acknowledgement, supersedes, validateRule } from './alert-transitions';
