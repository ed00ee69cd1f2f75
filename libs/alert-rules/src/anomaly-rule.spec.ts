import type { Anomaly } from '@sightline/contracts';
import { alertFor } from './anomaly-rule';

const anomaly = (severity: Anomaly['severity'], metric = 'overall_score'): Anomaly => ({
  v: 1,
  anomaly_id: 'poor-view/1:p1:v1',
  property_id: 'p1',
  detector: 'poor-view/1',
  metric,
  cohort: { cdn: 'cdn-a' },
  observed: 20,
  expected: 50,
  severity,
  detected_at: 1234,
  summary: 'View v1 scored 20, below 50',
  evidence: { view_ids: ['v1'] },
});

describe('anomaly alert rule', () => {
  const rule = { id: 'poor-views', minSeverity: 'warning' as const };

  it.each([
    ['info', false],
    ['warning', true],
    ['critical', true],
  ] as const)('an anomaly of severity %s fires: %s', (severity, fires) => {
    expect(alertFor(rule, anomaly(severity)) !== undefined).toBe(fires);
  });

  it('carries the anomaly into a firing alert with a stable id', () => {
    expect(alertFor(rule, anomaly('critical'))).toEqual({
      v: 1,
      alert_id: 'poor-views:poor-view/1:p1:v1',
      property_id: 'p1',
      rule_id: 'poor-views',
      state: 'firing',
      severity: 'critical',
      metric: 'overall_score',
      cohort: { cdn: 'cdn-a' },
      summary: 'View v1 scored 20, below 50',
      observed: 20,
      expected: 50,
      anomaly_id: 'poor-view/1:p1:v1',
      at: 1234,
    });
  });

  it('filters by metric when the rule names one', () => {
    expect(alertFor({ ...rule, metric: 'startup_time' }, anomaly('critical'))).toBeUndefined();
  });
});
