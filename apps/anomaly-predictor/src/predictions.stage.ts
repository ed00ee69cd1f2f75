import { partitionedInput, ScoredViewSchema, subjects, type PredictionModel } from '@sightline/contracts';
import { learnScore, publishModel, type LearningStep } from '@sightline/predictions';
import { keyedStage, type KeyedStage, type StepResult } from '@sightline/messaging';
import type { ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';
import { learningOptions, type PredictionsConfig } from './predictions.config';

/** The consumer group (and the name of its state, durables and output ids). */
export const LEARNING_GROUP = 'anomaly-predictor-learn';

/**
 * Learns every completed view into its property's partial model (the keyed state: one key per
 * property in each partition) and publishes the model on `predictions.model.<property>.p<N>`
 * PREDICTIONS_PUBLISH_MS of partition time after it changed, and again every
 * PREDICTIONS_REFRESH_MS while it does not. It reads every score subject of a partition
 * (`scores.*.p<N>`, live ones skipped) rather than `scores.final.p<N>` alone, so that the
 * partition's ticks reach it and a quiet partition still publishes its last changes.
 */
export function predictionsStage(context: ServiceContext<PredictionsConfig>): KeyedStage<typeof ScoredViewSchema, PredictionModel> {
  const { topology } = context;
  const options = learningOptions(context.config);
  const learned = new Counter({
    name: 'sightline_predictions_views_learned_total',
    help: 'Completed views the prediction models learned from',
    registers: [context.metrics],
  });
  const result = (step: LearningStep, property: string, partition: number): StepResult<PredictionModel> => {
    if (step.learned) learned.inc();
    const outputs = step.snapshot ? [{ subject: subjects.predictionModel(topology, property, partition), payload: step.snapshot }] : [];
    return { state: step.state, timer: step.timer, outputs };
  };
  return keyedStage({
    name: LEARNING_GROUP,
    input: partitionedInput(topology, 'scores'),
    schema: ScoredViewSchema,
    deadLetterSubject: subjects.deadLetter(topology, LEARNING_GROUP),
    keyOf: (scored) => scored.property_id,
    step: (model, scored, ctx) => result(learnScore(model, scored, ctx.now, ctx.timer, options), ctx.key, ctx.partition),
    onTimer: (model, ctx) => result(publishModel(model, ctx.key, ctx.partition, ctx.now, options), ctx.key, ctx.partition),
  });
}
