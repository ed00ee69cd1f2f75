import type { Anomaly, CohortAggregate } from '@sightline/contracts';
import { FLAP_TRANSITIONS, newInstance, step, type AlertInstance, type Observation } from './lifecycle';
import { anomalyAlertId, defaultAnomalyRule, observeAnomaly, observeThreshold, ruleProblems, takes, watches } from './rules';
import { thresholdRule } from './threshold-rule.fixture';

const timing = { triggerAfterMs: 60_000, resolveAfterMs: 120_000 };
const obs = (met: boolean, observed = met ? 0.2 : 0.01): Observation => ({ met, observed, expected: 0.05, metric: 'playback_failure_rate_of_attempts', severity: 'critical', summary: `failures ${observed}` });
const fresh = () => newInstance({ alert_id: 'r:shop:cdn=fastly', rule_id: 'r', rule_kind: 'threshold', property_id: 'shop', cohort: { cdn: 'fastly' }, metric: 'playback_failure_rate_of_attempts' });

/** Feeds (time, observation) pairs; returns the published transitions as [state, at]. */
function run(events: [number, Observation | undefined][], start: AlertInstance = fresh()) {
  let instance = start;
  const out: [string, number, boolean | undefined][] = [];
  for (const [at, o] of events) {
    const r = step(instance, o, at, timing, ['pager']);
    instance = r.instance;
    if (r.alert) out.push([r.alert.state, r.alert.at, r.alert.notify]);
  }
  return { out, instance };
}

describe('alert lifecycle', () => {
  it('fires once after the trigger time and resolves once after the resolve time', () => {
    const events: [number, Observation][] = [];
    for (let t = 0; t <= 400_000; t += 5000) events.push([t, obs(t >= 30_000 && t < 200_000)]);
    expect(run(events).out).toEqual([
      ['firing', 90_000, true],
      ['resolved', 320_000, true],
    ]);
  });

  it('publishes the firing with its group, channels and an idempotency key', () => {
    let instance = fresh();
    let alert;
    for (const t of [0, 30_000, 60_000]) ({ instance, alert } = step(instance, obs(true), t, timing, ['pager', 'slack']));
    expect(alert).toMatchObject({ state: 'firing', alert_id: 'r:shop:cdn=fastly', fired_at: 60_000, transition_id: 'r:shop:cdn=fastly:firing:60000', channels: ['pager', 'slack'], notify: true, severity: 'critical' });
  });

  it('stays quiet when the condition clears before the trigger time', () => {
    expect(run([[0, obs(true)], [30_000, obs(true)], [45_000, obs(false)], [120_000, obs(false)]]).out).toEqual([]);
  });

  it('resolves a firing alert whose cohort went quiet (time passes, no observation)', () => {
    const { out, instance } = run([[0, obs(true)], [60_000, obs(true)], [70_000, obs(true)]]);
    expect(out).toEqual([['firing', 60_000, true]]);
    expect(run([[100_000, undefined], [190_000, undefined]], instance).out).toEqual([['resolved', 190_000, true]]);
  });

  it('damps flapping: after repeated firings and resolutions, transitions are published but not notified', () => {
    const events: [number, Observation][] = [];
    // Four minutes bad, four minutes good, over and over.
    for (let t = 0; t < 40 * 60_000; t += 10_000) events.push([t, obs(Math.floor(t / 240_000) % 2 === 0)]);
    const { out } = run(events);
    expect(out.length).toBeGreaterThanOrEqual(2 * FLAP_TRANSITIONS);
    expect(out.slice(0, FLAP_TRANSITIONS - 1).every(([, , notify]) => notify)).toBe(true);
    expect(out.slice(FLAP_TRANSITIONS).every(([, , notify]) => notify === false)).toBe(true);
  });
});

const rule = thresholdRule('fastly-failures');

const aggregate = (value: string, attempts: number, rate: number | null): CohortAggregate =>
  ({ property_id: 'shop', granularity: 'minute', dimension: 'cdn', value, attempts, playback_failure_rate_of_attempts: rate }) as unknown as CohortAggregate;

describe('threshold rules', () => {
  it('watch every value of their dimension, never "other", only minute windows', () => {
    expect(watches(rule, aggregate('fastly', 100, 0.1))).toBe(true);
    expect(watches(rule, aggregate('other', 100, 0.1))).toBe(false);
    expect(watches({ ...rule, cohort: { dimension: 'cdn', value: 'akamai' } }, aggregate('fastly', 100, 0.1))).toBe(false);
    expect(watches({ ...rule, enabled: false }, aggregate('fastly', 100, 0.1))).toBe(false);
  });

  it('compare the figure, and say nothing below the volume guard', () => {
    expect(observeThreshold(rule, aggregate('fastly', 100, 0.1))).toMatchObject({ met: true, observed: 0.1, expected: 0.05 });
    expect(observeThreshold(rule, aggregate('fastly', 100, 0.01))).toMatchObject({ met: false });
    expect(observeThreshold(rule, aggregate('fastly', 10, 0.5))).toBeUndefined();
    expect(observeThreshold(rule, aggregate('fastly', 100, null))).toBeUndefined();
  });

  it('refuse a rate outside 0-1', () => {
    expect(ruleProblems({ ...rule, value: 5 })).toEqual(['value: playback_failure_rate_of_attempts is a fraction from 0 to 1, got 5']);
    expect(ruleProblems(rule)).toEqual([]);
  });
});

describe('anomaly rules', () => {
  const anomaly = { anomaly_id: 'a1', property_id: 'shop', metric: 'playback_failure_rate', severity: 'critical', cohort: { cdn: 'fastly' }, observed: 0.3, expected: 0.01, summary: 's', detected_at: 5 } as unknown as Anomaly;
  it('take anomalies by severity, metric and cohort, and group them by cohort', () => {
    const r = defaultAnomalyRule('warning');
    expect(takes(r, anomaly)).toBe(true);
    expect(takes({ ...r, min_severity: 'critical' }, { ...anomaly, severity: 'warning' })).toBe(false);
    expect(takes({ ...r, cohort: { cdn: 'akamai' } }, anomaly)).toBe(false);
    expect(anomalyAlertId(r, anomaly)).toBe('anomalies:shop:playback_failure_rate:cdn=fastly');
    expect(observeAnomaly(anomaly)).toMatchObject({ met: true, anomalyId: 'a1', severity: 'critical' });
  });
});
