export { alertFor, matches } from './anomaly-rule';
export type { AnomalyAlertRule } from './anomaly-rule';
