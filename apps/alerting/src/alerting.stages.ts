import { aggregateKey, anomalyKey, stepAggregate, stepAlertTimer, stepAnomaly, type AlertStep, type CohortAlerts, type RuleLookup } from '@sightline/alert-rules';
import { AnomalySchema, CohortAggregateSchema, singleInput, subjects } from '@sightline/contracts';
import { keyedStage, type KeyedStage, type StepResult } from '@sightline/messaging';
import type { ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';

/** The consumer groups, and so the names of the stages' state, durables and output ids. */
export const ANOMALIES_GROUP = 'alerting-anomalies';
export const AGGREGATES_GROUP = 'alerting-aggregates';

/**
 * Decides alerts: anomaly rules on anomalies, threshold rules on minute aggregates, each alert
 * (rule, property, cohort) through pending, firing and resolved as keyed state, with a timer per
 * key so that alerts fire and resolve on time when no new input comes. `rules` is read at every
 * step (the rules as they are now): a rule removed or disabled resolves its firing alerts.
 */
export function alertingStages(
  context: ServiceContext<unknown>,
  rules: RuleLookup,
): [KeyedStage<typeof AnomalySchema, CohortAlerts>, KeyedStage<typeof CohortAggregateSchema, CohortAlerts>] {
  const { topology } = context;
  const transitions = new Counter({
    name: 'sightline_alert_transitions_total',
    help: 'Alert transitions published, by state and rule kind',
    labelNames: ['state', 'kind'],
    registers: [context.metrics],
  });
  const result = (step: AlertStep): StepResult<CohortAlerts> => {
    for (const alert of step.alerts) transitions.inc({ state: alert.state, kind: alert.rule_kind ?? 'anomaly' });
    return { state: step.state, timer: step.timer, outputs: step.alerts.map((alert) => ({ subject: subjects.alert(topology, alert.state), payload: alert })) };
  };
  return [
    keyedStage({
      name: ANOMALIES_GROUP,
      input: singleInput(topology, 'anomalies'),
      schema: AnomalySchema,
      deadLetterSubject: subjects.deadLetter(topology, ANOMALIES_GROUP),
      keyOf: anomalyKey,
      step: (state, anomaly, ctx) => result(stepAnomaly(state, anomaly, ctx, rules)),
      onTimer: (state, ctx) => result(stepAlertTimer(state, ctx, rules)),
    }),
    keyedStage({
      name: AGGREGATES_GROUP,
      input: singleInput(topology, 'aggregates'),
      schema: CohortAggregateSchema,
      deadLetterSubject: subjects.deadLetter(topology, AGGREGATES_GROUP),
      keyOf: aggregateKey,
      step: (state, aggregate, ctx) => result(stepAggregate(state, aggregate, ctx, rules)),
      onTimer: (state, ctx) => result(stepAlertTimer(state, ctx, rules)),
    }),
  ];
}
