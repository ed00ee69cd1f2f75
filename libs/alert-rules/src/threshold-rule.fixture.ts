import type { ThresholdRule } from '@sightline/contracts';

/** A threshold rule for tests: page when a CDN's failure rate of attempts is over 5% for a minute. */
export function thresholdRule(id: string): ThresholdRule {
  return {
    id,
    kind: 'threshold',
    severity: 'critical',
    channels: ['pager'],
    enabled: true,
    metric: 'playback_failure_rate_of_attempts',
    cohort: { dimension: 'cdn' },
    comparison: '>',
    value: 0.05,
    trigger_after_ms: 60_000,
    resolve_after_ms: 120_000,
    min_attempts: 25,
  };
}
