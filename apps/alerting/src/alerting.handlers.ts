import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  anomalyAlertId,
  aggregateCohort,
  deadlineOf,
  FLAP_WINDOW_MS,
  newInstance,
  observeAnomaly,
  observeThreshold,
  retire,
  step,
  takes,
  thresholdAlertId,
  timingOf,
  watches,
  type AlertInstance,
  type Observation,
} from '@sightline/alert-rules';
import { subjects, type Alert, type AlertRule, type Anomaly, type CohortAggregate } from '@sightline/contracts';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext, type TimerEvent } from '@sightline/service-kit';
import { Counter } from 'prom-client';
import { RuleStore } from './rules/rule-store';

export const ALERTING_ANOMALIES = 'alerting.anomalies';
export const ALERTING_ANOMALY_TIMERS = 'alerting.anomaly-timers';
export const ALERTING_AGGREGATES = 'alerting.aggregates';
export const ALERTING_AGGREGATE_TIMERS = 'alerting.aggregate-timers';

/** The alerts of one key (an anomaly's cohort, or an aggregate's cohort): alert id -> its life. */
type Instances = Record<string, AlertInstance>;

/** The state key of an anomaly: property, metric and cohort (what an anomaly rule groups by). */
export function anomalyKey(anomaly: Anomaly): string {
  const cohort = Object.keys(anomaly.cohort)
    .sort()
    .map((k) => `${k}=${anomaly.cohort[k]}`)
    .join(',');
  return `${anomaly.property_id}|${anomaly.metric}|${cohort}`;
}

/** The state key of a minute aggregate: property and cohort (what threshold rules group by). */
export function aggregateKey(a: CohortAggregate): string {
  return `${a.property_id}|${a.dimension}|${a.value}`;
}

/**
 * Decides alerts: anomaly rules on anomalies, threshold rules on minute aggregates, each alert
 * (rule, property, cohort) through pending, firing and resolved as keyed state, with timers so
 * that alerts fire and resolve on time when no new input comes. Rules are read from the
 * RuleStore as they are now; a rule removed or disabled resolves its firing alerts.
 */
@Controller()
export class AlertingHandlers {
  private readonly transitions: Counter<'state' | 'kind'>;

  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>,
    private readonly rules: RuleStore,
  ) {
    this.transitions = new Counter({
      name: 'sightline_alert_transitions_total',
      help: 'Alert transitions published, by state and rule kind',
      labelNames: ['state', 'kind'],
      registers: [context.metrics],
    });
  }

  @EventPattern(ALERTING_ANOMALIES)
  onAnomaly(@Payload() anomaly: Anomaly, @Ctx() ctx: JetStreamContext<Instances>): void {
    const observations = new Map<string, Observation>();
    const instances: Instances = { ...(ctx.state.get() ?? {}) };
    for (const rule of this.rules.list()) {
      if (rule.kind !== 'anomaly' || !takes(rule, anomaly)) continue;
      const id = anomalyAlertId(rule, anomaly);
      instances[id] ??= newInstance({ alert_id: id, rule_id: rule.id, rule_kind: 'anomaly', property_id: anomaly.property_id, cohort: anomaly.cohort, metric: anomaly.metric });
      observations.set(id, observeAnomaly(anomaly));
    }
    this.advance(ctx, instances, observations);
  }

  @EventPattern(ALERTING_AGGREGATES)
  onAggregate(@Payload() aggregate: CohortAggregate, @Ctx() ctx: JetStreamContext<Instances>): void {
    if (aggregate.granularity !== 'minute') return;
    const observations = new Map<string, Observation>();
    const instances: Instances = { ...(ctx.state.get() ?? {}) };
    for (const rule of this.rules.list()) {
      if (rule.kind !== 'threshold' || !watches(rule, aggregate)) continue;
      const observation = observeThreshold(rule, aggregate);
      const id = thresholdAlertId(rule, aggregate);
      if (!instances[id] && !observation?.met) continue;
      instances[id] ??= newInstance({ alert_id: id, rule_id: rule.id, rule_kind: 'threshold', property_id: aggregate.property_id, cohort: aggregateCohort(aggregate), metric: rule.metric });
      if (observation) observations.set(id, observation);
    }
    this.advance(ctx, instances, observations);
  }

  @EventPattern(ALERTING_ANOMALY_TIMERS)
  onAnomalyTimer(@Payload() _timer: TimerEvent, @Ctx() ctx: JetStreamContext<Instances>): void {
    this.advance(ctx, { ...(ctx.state.get() ?? {}) }, new Map());
  }

  @EventPattern(ALERTING_AGGREGATE_TIMERS)
  onAggregateTimer(@Payload() _timer: TimerEvent, @Ctx() ctx: JetStreamContext<Instances>): void {
    this.advance(ctx, { ...(ctx.state.get() ?? {}) }, new Map());
  }

  /** Steps every alert of the key (observed or not), publishes transitions, sets the next timer. */
  private advance(ctx: JetStreamContext<Instances>, instances: Instances, observations: Map<string, Observation>): void {
    let next: number | undefined;
    for (const [id, instance] of Object.entries(instances)) {
      const rule: AlertRule | undefined = this.rules.get(instance.rule_id);
      if (!rule || !rule.enabled) {
        const resolved = retire(instance, ctx.now, rule ? 'rule disabled' : 'rule removed');
        if (resolved) this.publish(ctx, resolved);
        delete instances[id];
        continue;
      }
      const timing = timingOf(rule);
      const { instance: after, alert } = step(instance, observations.get(id), ctx.now, timing, rule.channels);
      if (alert) this.publish(ctx, alert);
      // An alert at rest is forgotten unless it flipped lately (its flips decide flapping).
      if (after.phase === 'inactive' && !after.flips.some((t) => ctx.now - t < FLAP_WINDOW_MS)) delete instances[id];
      else instances[id] = after;
      const deadline = deadlineOf(after, timing);
      if (deadline !== undefined) next = next === undefined ? deadline : Math.min(next, deadline);
    }
    if (Object.keys(instances).length === 0) {
      ctx.state.delete();
      return;
    }
    ctx.state.set(instances);
    if (next !== undefined) ctx.state.setTimer(Math.max(next, ctx.now + 1));
    else ctx.state.clearTimer();
  }

  private publish(ctx: JetStreamContext<Instances>, alert: Alert): void {
    ctx.emit(subjects.alert(this.context.topology, alert.state), alert);
    this.transitions.inc({ state: alert.state, kind: alert.rule_kind ?? 'anomaly' });
  }
}
