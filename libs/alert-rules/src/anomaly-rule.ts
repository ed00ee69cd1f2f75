import { SEVERITIES, type Alert, type Anomaly, type Severity } from '@sightline/contracts';

/** Fires an alert for every anomaly at or above a severity. */
export interface AnomalyAlertRule {
  readonly id: string;
  readonly minSeverity: Severity;
  /** Only anomalies of this metric, when set. */
  readonly metric?: string;
}

const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);

export function matches(rule: AnomalyAlertRule, anomaly: Anomaly): boolean {
  return rank(anomaly.severity) >= rank(rule.minSeverity) && (rule.metric === undefined || rule.metric === anomaly.metric);
}

/** The alert the rule raises for an anomaly, or undefined. Its id is stable per rule and anomaly. */
export function alertFor(rule: AnomalyAlertRule, anomaly: Anomaly): Alert | undefined {
  if (!matches(rule, anomaly)) return undefined;
  return {
    v: 1,
    alert_id: `${rule.id}:${anomaly.anomaly_id}`,
    property_id: anomaly.property_id,
    rule_id: rule.id,
    state: 'firing',
    severity: anomaly.severity,
    metric: anomaly.metric,
    cohort: anomaly.cohort,
    summary: anomaly.summary,
    observed: anomaly.observed,
    expected: anomaly.expected,
    anomaly_id: anomaly.anomaly_id,
    at: anomaly.detected_at,
  };
}
