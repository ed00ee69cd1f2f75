import { CohortAggregateSchema, minuteAggregatesInput, subjects } from '@sightline/contracts';
import { cohortDetectorCodec, detectCohortAnomalies, type CohortDetector, type CohortStep } from '@sightline/anomaly';
import { keyedStage, type KeyedStage, type StepResult } from '@sightline/messaging';
import type { ServiceContext } from '@sightline/service-kit';
import { Counter, Gauge } from 'prom-client';
import { detectorOptions, type AnomalyConfig } from './anomaly.config';

/** The consumer group (and the name of its state, durables and output ids). */
export const COHORT_GROUP = 'anomaly-predictor-aggregates';

/**
 * Watches the minute aggregates, one detector per property (its keyed state, kept through the
 * detector's codec): baselines per cohort and metric, verdicts on every pane, root-cause search,
 * one anomaly per cause.
 */
export function cohortStage(context: ServiceContext<AnomalyConfig>): KeyedStage<typeof CohortAggregateSchema, CohortDetector> {
  const { topology } = context;
  const options = detectorOptions(context.config);
  const anomalies = new Counter({
    name: 'sightline_cohort_anomalies_total',
    help: 'Cohort anomalies published, by metric and severity',
    labelNames: ['metric', 'severity'],
    registers: [context.metrics],
  });
  let active = 0;
  new Gauge({
    name: 'sightline_cohort_anomalies_active',
    help: 'Cohort anomalies in progress (last property seen)',
    registers: [context.metrics],
    collect() {
      this.set(active);
    },
  });
  const result = (step: CohortStep): StepResult<CohortDetector> => {
    for (const anomaly of step.anomalies) anomalies.inc({ metric: anomaly.metric, severity: anomaly.severity });
    active = step.state.activeCount;
    return { state: step.state, outputs: step.anomalies.map((anomaly) => ({ subject: subjects.anomaly(topology, anomaly.metric), payload: anomaly })) };
  };
  return keyedStage({
    name: COHORT_GROUP,
    input: minuteAggregatesInput(topology),
    schema: CohortAggregateSchema,
    deadLetterSubject: subjects.deadLetter(topology, COHORT_GROUP),
    keyOf: (aggregate) => aggregate.property_id,
    step: (detector, aggregate, ctx) => result(detectCohortAnomalies(detector, aggregate, ctx.now, options)),
    codec: cohortDetectorCodec(options),
  });
}
