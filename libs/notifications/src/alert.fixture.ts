import type { Alert } from '@sightline/contracts';

/** A firing alert for tests, with overrides. */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    v: 1,
    alert_id: 'anomalies:poor-view/1:demo:view-1',
    property_id: 'demo',
    rule_id: 'poor-view',
    state: 'firing',
    severity: 'warning',
    metric: 'overall_score',
    cohort: { cdn: 'fastly', player_name: 'hls.js' },
    summary: 'View view-1 scored 43, below 50',
    observed: 43,
    expected: 50,
    at: 1_750_000_000_000,
    transition_id: 'anomalies:poor-view/1:demo:view-1:firing:1',
    channels: ['ops'],
    ...overrides,
  };
}
