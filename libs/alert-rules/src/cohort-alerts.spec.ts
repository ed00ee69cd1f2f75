import type { AlertRule, Anomaly, CohortAggregate, ThresholdRule } from '@sightline/contracts';
import { stepAggregate, stepAlertTimer, stepAnomaly, type AlertStep, type CohortAlerts, type RuleLookup } from './cohort-alerts';
import { FLAP_WINDOW_MS } from './lifecycle';
import { defaultAnomalyRule } from './rules';
import { thresholdRule } from './threshold-rule.fixture';

const threshold = thresholdRule('cdn-failures');
const anomalies = { ...defaultAnomalyRule('warning'), channels: ['slack'], auto_resolve_ms: 300_000 };

const pane = (rate: number, extra: Partial<CohortAggregate> = {}): CohortAggregate =>
  ({ property_id: 'shop', granularity: 'minute', dimension: 'cdn', value: 'fastly', attempts: 100, playback_failure_rate_of_attempts: rate, ...extra }) as unknown as CohortAggregate;
const anomaly = (id: string, severity: Anomaly['severity'] = 'critical'): Anomaly =>
  ({ anomaly_id: id, property_id: 'shop', metric: 'playback_failure_rate', severity, cohort: { cdn: 'fastly' }, observed: 0.3, expected: 0.01, summary: `anomaly ${id}`, detected_at: 0 }) as unknown as Anomaly;

/** Rules that a test changes between steps, read at every step as the rule store is. */
class Rules implements RuleLookup {
  private readonly byId = new Map<string, AlertRule>();
  constructor(rules: AlertRule[]) {
    for (const rule of rules) this.set(rule);
  }
  set(rule: AlertRule): void {
    this.byId.set(rule.id, rule);
  }
  remove(id: string): void {
    this.byId.delete(id);
  }
  list(): AlertRule[] {
    return [...this.byId.values()];
  }
  get(id: string): AlertRule | undefined {
    return this.byId.get(id);
  }
}

/** At a partition time: an input, the key's timer, or a change to the rules. */
type Event = readonly [at: number, what: CohortAggregate | Anomaly | 'timer' | ((rules: Rules) => void)];

/** Runs one key through the events on virtual time, as the stage runtime would. */
function run(rules: AlertRule[], events: readonly Event[]) {
  const lookup = new Rules(rules);
  let state: CohortAlerts | undefined;
  let timer: number | undefined;
  const published: [string, number, string][] = [];
  for (const [now, what] of events) {
    if (typeof what === 'function') {
      what(lookup);
      continue;
    }
    const clock = { now, timer };
    let result: AlertStep;
    if (what === 'timer') {
      if (timer === undefined || timer > now) throw new Error(`no timer due at ${now} (timer ${timer})`);
      result = stepAlertTimer(state, clock, lookup);
    } else if ('anomaly_id' in what) result = stepAnomaly(state, what, clock, lookup);
    else result = stepAggregate(state, what, clock, lookup);
    ({ state, timer } = result);
    for (const alert of result.alerts) published.push([alert.state, alert.at, alert.summary]);
  }
  return { published, state, timer };
}

describe('alert steps of one key, on virtual time', () => {
  it.each<{ name: string; rules: AlertRule[]; events: Event[]; published: [string, number][]; alerts: string[]; timer: number | undefined }>([
    {
      name: 'a threshold met for the trigger time fires on the timer, with no new pane',
      rules: [threshold],
      events: [[0, pane(0.2)], [30_000, pane(0.2)], [60_000, 'timer']],
      published: [['firing', 60_000]],
      alerts: ['cdn-failures:shop:cdn=fastly'],
      timer: 30_000 + 120_000,
    },
    {
      name: 'a firing threshold alert resolves on the timer once clear for the resolve time',
      rules: [threshold],
      events: [[0, pane(0.2)], [60_000, pane(0.2)], [70_000, pane(0.01)], [190_000, 'timer']],
      published: [['firing', 60_000], ['resolved', 190_000]],
      alerts: ['cdn-failures:shop:cdn=fastly'],
      timer: undefined,
    },
    {
      name: 'a pane that meets no condition creates no alert, and the key is forgotten',
      rules: [threshold],
      events: [[0, pane(0.01)]],
      published: [],
      alerts: [],
      timer: undefined,
    },
    {
      name: 'a pane below the volume guard observes nothing',
      rules: [threshold],
      events: [[0, pane(0.5, { attempts: 10 })]],
      published: [],
      alerts: [],
      timer: undefined,
    },
    {
      name: 'an hour pane leaves the key and its timer as they were',
      rules: [threshold],
      events: [[0, pane(0.2)], [10_000, pane(0.01, { granularity: 'hour' } as Partial<CohortAggregate>)]],
      published: [],
      alerts: ['cdn-failures:shop:cdn=fastly'],
      timer: 60_000,
    },
    {
      name: 'removing the rule of a firing alert resolves it at the next step and forgets it',
      rules: [threshold],
      events: [[0, pane(0.2)], [60_000, pane(0.2)], [61_000, (r) => r.remove('cdn-failures')], [70_000, pane(0.2)]],
      published: [['firing', 60_000], ['resolved', 70_000]],
      alerts: [],
      timer: undefined,
    },
    {
      name: 'disabling the rule of a firing alert resolves it at its timer',
      rules: [threshold],
      events: [[0, pane(0.2)], [60_000, pane(0.2)], [61_000, (r) => r.set({ ...threshold, enabled: false })], [180_000, 'timer']],
      published: [['firing', 60_000], ['resolved', 180_000]],
      alerts: [],
      timer: undefined,
    },
    {
      name: 'an anomaly fires at once and resolves after auto_resolve_ms without another',
      rules: [anomalies],
      events: [[0, anomaly('a1')], [300_000, 'timer']],
      published: [['firing', 0], ['resolved', 300_000]],
      alerts: ['anomalies:shop:playback_failure_rate:cdn=fastly'],
      timer: undefined,
    },
    {
      name: 'a renewed anomaly keeps its alert firing and moves the resolution on',
      rules: [anomalies],
      events: [[0, anomaly('a1')], [200_000, anomaly('a2')]],
      published: [['firing', 0]],
      alerts: ['anomalies:shop:playback_failure_rate:cdn=fastly'],
      timer: 500_000,
    },
    {
      name: 'an anomaly below every rule\'s severity creates nothing',
      rules: [{ ...anomalies, min_severity: 'critical' }],
      events: [[0, anomaly('a1', 'warning')]],
      published: [],
      alerts: [],
      timer: undefined,
    },
  ])('$name', ({ rules, events, published, alerts, timer }) => {
    const result = run(rules, events);
    expect(result.published.map(([state, at]) => [state, at])).toEqual(published);
    expect(Object.keys(result.state ?? {})).toEqual(alerts);
    expect(result.timer).toBe(timer);
  });

  it('names the reason of a resolution by a removed or disabled rule', () => {
    const firing: Event[] = [[0, pane(0.2)], [60_000, pane(0.2)]];
    expect(run([threshold], [...firing, [61_000, (r) => r.remove('cdn-failures')], [62_000, pane(0.2)]]).published.at(-1)?.[2]).toMatch(/^resolved \(rule removed\): /);
    expect(run([threshold], [...firing, [61_000, (r) => r.set({ ...threshold, enabled: false })], [62_000, pane(0.2)]]).published.at(-1)?.[2]).toMatch(/^resolved \(rule disabled\): /);
  });

  it('keeps an alert at rest while its flips decide flapping, and forgets it after the flap window', () => {
    const flipped = run([threshold], [[0, pane(0.2)], [60_000, pane(0.2)], [70_000, pane(0.01)], [190_000, 'timer']]);
    expect(flipped.state).toBeDefined();
    const later = stepAggregate(flipped.state, pane(0.01), { now: 190_000 + FLAP_WINDOW_MS, timer: undefined }, new Rules([threshold]));
    expect(later).toEqual({ state: undefined, alerts: [], timer: undefined });
  });

  it('gives every threshold rule watching the cohort its own alert', () => {
    const strict: ThresholdRule = { ...threshold, id: 'cdn-failures-strict', value: 0.01, trigger_after_ms: 0 };
    const result = run([threshold, strict], [[0, pane(0.2)]]);
    expect(result.published).toEqual([['firing', 0, expect.stringContaining('playback_failure_rate_of_attempts 0.2 > 0.01')]]);
    expect(Object.keys(result.state ?? {}).sort()).toEqual(['cdn-failures-strict:shop:cdn=fastly', 'cdn-failures:shop:cdn=fastly']);
    expect(result.timer).toBe(60_000);
  });
});
