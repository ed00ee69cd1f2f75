import type { Alert, AlertRule, Anomaly, CohortAggregate } from '@sightline/contracts';
import { deadlineOf, FLAP_WINDOW_MS, newInstance, retire, step, type AlertInstance, type Observation } from './lifecycle';
import { aggregateCohort, anomalyAlertId, observeAnomaly, observeThreshold, takes, thresholdAlertId, timingOf, watches } from './rules';

/** The alerts of one state key (an anomaly's or an aggregate's cohort): alert id -> its life, as plain JSON. */
export type CohortAlerts = Record<string, AlertInstance>;

/**
 * The rules as they are now. Every step reads them afresh, so a rule written, disabled or
 * removed applies from the next input or timer of each key on.
 */
export interface RuleLookup {
  list(): readonly AlertRule[];
  get(id: string): AlertRule | undefined;
}

/** Partition time and the key's timer before the step (the stage runtime's step context is one). */
export interface AlertClock {
  readonly now: number;
  readonly timer: number | undefined;
}

/**
 * What a step decided: the key's alerts after it (undefined when none is left to remember), the
 * transitions to publish in order, and when the key next needs the clock (undefined: never).
 */
export interface AlertStep {
  readonly state: CohortAlerts | undefined;
  readonly alerts: readonly Alert[];
  readonly timer: number | undefined;
}

/**
 * An anomaly: every anomaly rule that takes it observes its alert (created on first sight) as
 * met; then every alert of the key moves on (see `advance`). Changes `state` in place.
 */
export function stepAnomaly(state: CohortAlerts | undefined, anomaly: Anomaly, clock: AlertClock, rules: RuleLookup): AlertStep {
  const alerts = state ?? {};
  const observations = new Map<string, Observation>();
  for (const rule of rules.list()) {
    if (rule.kind !== 'anomaly' || !takes(rule, anomaly)) continue;
    const id = anomalyAlertId(rule, anomaly);
    alerts[id] ??= newInstance({ alert_id: id, rule_id: rule.id, rule_kind: 'anomaly', property_id: anomaly.property_id, cohort: anomaly.cohort, metric: anomaly.metric });
    observations.set(id, observeAnomaly(anomaly));
  }
  return advance(alerts, observations, clock.now, rules);
}

/**
 * A cohort aggregate: only minute windows count (others leave the key as it was). Every
 * threshold rule that watches its cohort observes it; an alert is created only when its
 * condition is met, and a window below the rule's volume guard observes nothing. Then every
 * alert of the key moves on. Changes `state` in place.
 */
export function stepAggregate(state: CohortAlerts | undefined, aggregate: CohortAggregate, clock: AlertClock, rules: RuleLookup): AlertStep {
  if (aggregate.granularity !== 'minute') return { state, alerts: [], timer: clock.timer };
  const alerts = state ?? {};
  const observations = new Map<string, Observation>();
  for (const rule of rules.list()) {
    if (rule.kind !== 'threshold' || !watches(rule, aggregate)) continue;
    const observation = observeThreshold(rule, aggregate);
    const id = thresholdAlertId(rule, aggregate);
    if (!alerts[id] && !observation?.met) continue;
    alerts[id] ??= newInstance({ alert_id: id, rule_id: rule.id, rule_kind: 'threshold', property_id: aggregate.property_id, cohort: aggregateCohort(aggregate), metric: rule.metric });
    if (observation) observations.set(id, observation);
  }
  return advance(alerts, observations, clock.now, rules);
}

/** The key's timer is due: every alert of the key moves on with time alone. Changes `state` in place. */
export function stepAlertTimer(state: CohortAlerts | undefined, clock: AlertClock, rules: RuleLookup): AlertStep {
  return advance(state ?? {}, new Map(), clock.now, rules);
}

/**
 * Moves every alert of the key (observed or not) on to `now`. An alert whose rule was removed or
 * disabled is resolved (when firing) and forgotten; an alert at rest is forgotten unless it
 * flipped within the flap window (its flips decide flapping). The timer is the earliest
 * deadline of what is left, never earlier than the next millisecond.
 */
function advance(alerts: CohortAlerts, observations: ReadonlyMap<string, Observation>, now: number, rules: RuleLookup): AlertStep {
  const published: Alert[] = [];
  let next: number | undefined;
  for (const [id, instance] of Object.entries(alerts)) {
    const rule = rules.get(instance.rule_id);
    if (!rule || !rule.enabled) {
      const resolved = retire(instance, now, rule ? 'rule disabled' : 'rule removed');
      if (resolved) published.push(resolved);
      delete alerts[id];
      continue;
    }
    const timing = timingOf(rule);
    const { instance: after, alert } = step(instance, observations.get(id), now, timing, rule.channels);
    if (alert) published.push(alert);
    if (after.phase === 'inactive' && !after.flips.some((t) => now - t < FLAP_WINDOW_MS)) delete alerts[id];
    else alerts[id] = after;
    const deadline = deadlineOf(after, timing);
    if (deadline !== undefined) next = next === undefined ? deadline : Math.min(next, deadline);
  }
  if (Object.keys(alerts).length === 0) return { state: undefined, alerts: published, timer: undefined };
  return { state: alerts, alerts: published, timer: next === undefined ? undefined : Math.max(next, now + 1) };
}
