import { SEVERITIES, type AlertRule, type Anomaly, type AnomalyRule, type Cohort, type CohortAggregate, type Severity, type ThresholdRule } from '@sightline/contracts';
import type { Observation, Timing } from './lifecycle';

type Metric = ThresholdRule['metric'];

/** A threshold rule's figure of a minute aggregate, or null when the window has none. */
export function figureOf(a: CohortAggregate, metric: Metric): number | null {
  switch (metric) {
    case 'startup_time_median_ms':
      return a.startup_time_ms.median;
    case 'startup_time_p95_ms':
      return a.startup_time_ms.p95;
    case 'mean_overall_score':
      return a.mean_scores.overall;
    default:
      return a[metric];
  }
}

const compare = (x: number, comparison: ThresholdRule['comparison'], value: number): boolean =>
  comparison === '>' ? x > value : comparison === '>=' ? x >= value : comparison === '<' ? x < value : x <= value;

/** Whether a threshold rule watches this aggregate's cohort (minute windows, its property, dimension and value; never "other"). */
export function watches(rule: ThresholdRule, a: CohortAggregate): boolean {
  return (
    rule.enabled &&
    a.granularity === 'minute' &&
    (rule.property_id === undefined || rule.property_id === a.property_id) &&
    rule.cohort.dimension === a.dimension &&
    (rule.cohort.value === undefined ? a.value !== 'other' : rule.cohort.value === a.value)
  );
}

/** The cohort of an aggregate as an alert names it: dimension name to value (combinations split). */
export function aggregateCohort(a: Pick<CohortAggregate, 'dimension' | 'value'>): Cohort {
  if (a.dimension === 'all') return {};
  const dims = a.dimension.split('+');
  const values = dims.length > 1 ? a.value.split('|') : [a.value];
  return Object.fromEntries(dims.map((d, i) => [d, values[i] ?? '']));
}

export function thresholdAlertId(rule: ThresholdRule, a: Pick<CohortAggregate, 'property_id' | 'dimension' | 'value'>): string {
  return `${rule.id}:${a.property_id}:${a.dimension}=${a.value}`;
}

/** What a threshold rule sees in one pane. A window below `min_attempts` says nothing (undefined). */
export function observeThreshold(rule: ThresholdRule, a: CohortAggregate): Observation | undefined {
  const x = figureOf(a, rule.metric);
  if (x === null || (rule.min_attempts !== undefined && a.attempts < rule.min_attempts)) return undefined;
  const met = compare(x, rule.comparison, rule.value);
  const where = a.dimension === 'all' ? 'all views' : `${a.dimension}=${a.value}`;
  return {
    met,
    observed: x,
    expected: rule.value,
    metric: rule.metric,
    severity: rule.severity,
    summary: `${rule.metric} ${round(x)} ${rule.comparison} ${rule.value} in ${where} (${a.property_id})`,
  };
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 10_000) / 10_000);

const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/** Whether an anomaly rule takes this anomaly: its property, severity, metric and cohort values. */
export function takes(rule: AnomalyRule, anomaly: Anomaly): boolean {
  return (
    rule.enabled &&
    (rule.property_id === undefined || rule.property_id === anomaly.property_id) &&
    rank(anomaly.severity) >= rank(rule.min_severity) &&
    (rule.metric === undefined || rule.metric === anomaly.metric) &&
    Object.entries(rule.cohort ?? {}).every(([k, v]) => anomaly.cohort[k] === v)
  );
}

/** One alert per rule, property, metric and cohort: the same cause renews it rather than paging again. */
export function anomalyAlertId(rule: AnomalyRule, anomaly: Anomaly): string {
  const cohort = Object.keys(anomaly.cohort)
    .sort()
    .map((k) => `${k}=${anomaly.cohort[k]}`)
    .join(',');
  return `${rule.id}:${anomaly.property_id}:${anomaly.metric}:${cohort || 'all'}`;
}

export function observeAnomaly(anomaly: Anomaly): Observation {
  return {
    met: true,
    observed: anomaly.observed,
    expected: anomaly.expected,
    metric: anomaly.metric,
    severity: anomaly.severity,
    summary: anomaly.summary,
    anomalyId: anomaly.anomaly_id,
  };
}

export function timingOf(rule: AlertRule): Timing {
  return rule.kind === 'threshold'
    ? { triggerAfterMs: rule.trigger_after_ms, resolveAfterMs: rule.resolve_after_ms }
    : { triggerAfterMs: 0, resolveAfterMs: rule.auto_resolve_ms };
}

/** The rule `npm start` begins with when none is stored: every anomaly at or above a severity. */
export function defaultAnomalyRule(minSeverity: Severity): AnomalyRule {
  return { id: 'anomalies', kind: 'anomaly', description: 'Every anomaly at or above the minimum severity (ALERT_MIN_SEVERITY)', severity: 'warning', min_severity: minSeverity, channels: [], enabled: true, auto_resolve_ms: 600_000 };
}

/** Checks a rule beyond its schema; returns the problems (empty when it is sound). */
export function ruleProblems(rule: AlertRule): string[] {
  const problems: string[] = [];
  if (rule.kind === 'threshold') {
    if (rule.metric.endsWith('_rate') || rule.metric === 'rebuffer_percentage' || rule.metric === 'rebuffering_ratio' || rule.metric.startsWith('playback_failure_rate')) {
      if (rule.value < 0 || rule.value > 1) problems.push(`value: ${rule.metric} is a fraction from 0 to 1, got ${rule.value}`);
    }
    if (rule.cohort.dimension === 'all' && rule.cohort.value !== undefined && rule.cohort.value !== 'all') problems.push('cohort.value: the dimension "all" has the one value "all"');
  }
  return problems;
}
