import { singleInput, subjects, ViewActivitySchema, type Topology } from '@sightline/contracts';
import { keyedStage, type KeyedStage, type StepResult } from '@sightline/messaging';
import { advanceAggregator, AGGREGATOR_KEY, aggregateActivity, aggregatorCodec, type AggregatorStep, type CohortAggregator } from '@sightline/qoe-aggregates';
import { Counter, Gauge } from 'prom-client';
import { aggregatorOptions, type StageContext } from './scorer.config';

/**
 * The consumer group of the stage that reads the activity stream and publishes aggregates. It
 * keeps the name it had when the stage was named after its output, `qoe-scorer-aggregates`: the
 * name also names the stage's state, durables and output ids, and a running deployment's must
 * stay valid.
 */
export const SCORER_ACTIVITY_GROUP = 'qoe-scorer-aggregates';

function metricsOf(context: StageContext): (step: AggregatorStep) => void {
  const late = new Counter({
    name: 'sightline_scorer_late_activity_total',
    help: 'View activity that arrived after its minute window was closed for good (past the allowed lateness); not counted in any aggregate',
    registers: [context.metrics],
  });
  const published = new Counter({
    name: 'sightline_scorer_aggregates_published_total',
    help: 'Cohort aggregates published, by granularity and pane timing',
    labelNames: ['granularity', 'timing'],
    registers: [context.metrics],
  });
  let openWindows = 0;
  new Gauge({
    name: 'sightline_scorer_open_windows',
    help: 'Minute and hour windows the aggregator holds',
    registers: [context.metrics],
    collect() {
      this.set(openWindows);
    },
  });
  return (step) => {
    if (step.late.length > 0) late.inc(step.late.length);
    for (const aggregate of step.aggregates) published.inc({ granularity: aggregate.granularity, timing: aggregate.timing });
    openWindows = step.state.openWindows;
  };
}

function result(topology: Topology, step: AggregatorStep): StepResult<CohortAggregator> {
  return {
    state: step.state,
    timer: step.timer,
    outputs: step.aggregates.map((a) => ({ subject: subjects.aggregate(topology, a.granularity, a.property_id, a.dimension, a.value), payload: a })),
  };
}

/**
 * Folds all view activity into per-minute and per-hour aggregates by cohort: one aggregator (one
 * key) over the activity stream read as a single partition, looking at partition time every
 * second while the input is quiet so that windows close on time.
 */
export function aggregatesStage(context: StageContext): KeyedStage<typeof ViewActivitySchema, CohortAggregator> {
  const { topology, logger } = context;
  const options = aggregatorOptions(context.config);
  const observe = metricsOf(context);
  return keyedStage({
    name: SCORER_ACTIVITY_GROUP,
    input: singleInput(topology, 'activity'),
    schema: ViewActivitySchema,
    deadLetterSubject: subjects.deadLetter(topology, SCORER_ACTIVITY_GROUP),
    keyOf: () => AGGREGATOR_KEY,
    codec: aggregatorCodec(options),
    step: (aggregator, activity, ctx) => {
      const step = aggregateActivity(aggregator, activity, ctx.now, options);
      observe(step);
      if (step.late.length > 0) {
        logger.warn({ view_id: activity.view_id, at: activity.at, watermark: step.state.watermarkAt(ctx.now) }, 'view activity too late for its window; not aggregated');
      }
      return result(topology, step);
    },
    onTimer: (aggregator, ctx) => {
      const step = advanceAggregator(aggregator, ctx.now, options);
      observe(step);
      return result(topology, step);
    },
  });
}
