import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  partitionedInput,
  PREDICTION_MODEL_VERSION,
  ScoredViewSchema,
  subjects,
  type PredictionModel,
  type PredictionModelSnapshot,
  type ScoredView,
} from '@sightline/contracts';
import { emptyModel, learn, recordOf } from '@sightline/predictions';
import { consumerBinding, JetStreamContext, SERVICE_CONTEXT, type ConsumerBinding, type ServiceContext, type TimerEvent } from '@sightline/service-kit';
import { Counter } from 'prom-client';
import type { PredictionSettings } from './predictions.config';

export const PREDICTIONS_LEARN = 'anomaly-predictor.learn';
export const PREDICTIONS_LEARN_TIMERS = 'anomaly-predictor.learn-timer';

/**
 * The consumer of final scores that trains the prediction models. It reads every score subject
 * of a partition (`scores.*.p<N>`, live ones skipped) rather than `scores.final.p<N>` alone, so
 * that the partition's ticks reach it and a quiet partition still publishes its last changes.
 */
export function predictionBindings(context: ServiceContext<unknown>): ConsumerBinding[] {
  return [
    consumerBinding(context.topology, PREDICTIONS_LEARN, partitionedInput(context.topology, 'scores'), ScoredViewSchema, {
      keyOf: (scored: ScoredView) => scored.property_id,
      timerPattern: PREDICTIONS_LEARN_TIMERS,
    }),
  ];
}

/**
 * Learns every completed view into its property's partial model (the keyed state: one key per
 * property in each partition, checkpointed like any other state) and publishes the model on `predictions.model.<property>.p<N>`
 * PREDICTIONS_PUBLISH_MS of partition time after it changed, and again every
 * PREDICTIONS_REFRESH_MS while it does not.
 */
@Controller()
export class PredictionHandlers {
  private readonly learned: Counter;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<PredictionSettings>) {
    this.learned = new Counter({
      name: 'sightline_predictions_views_learned_total',
      help: 'Completed views the prediction models learned from',
      registers: [context.metrics],
    });
  }

  @EventPattern(PREDICTIONS_LEARN)
  onScore(@Payload() scored: ScoredView, @Ctx() ctx: JetStreamContext<PredictionModel>): void {
    if (scored.kind !== 'final') return;
    const { config } = this.context;
    const model = ctx.state.get() ?? emptyModel({ halfLifeMs: config.PREDICTIONS_HALF_LIFE_MS, maxValues: config.PREDICTIONS_MAX_VALUES });
    // learn() returns a new model and leaves the stored one (and any emitted snapshot) untouched.
    ctx.state.set(learn(model, recordOf(scored), ctx.now));
    const due = ctx.now + config.PREDICTIONS_PUBLISH_MS;
    if (ctx.state.timer === undefined || ctx.state.timer > due) ctx.state.setTimer(due);
    this.learned.inc();
  }

  @EventPattern(PREDICTIONS_LEARN_TIMERS)
  onTimer(@Payload() timer: TimerEvent, @Ctx() ctx: JetStreamContext<PredictionModel>): void {
    const model = ctx.state.get();
    if (!model) return;
    const snapshot: PredictionModelSnapshot = {
      v: 1,
      property_id: timer.key,
      partition: ctx.partition,
      model_version: PREDICTION_MODEL_VERSION,
      views_learned: model.views_learned,
      at: ctx.now,
      model,
    };
    ctx.emit(subjects.predictionModel(this.context.topology, timer.key, ctx.partition), snapshot);
    ctx.state.setTimer(ctx.now + this.context.config.PREDICTIONS_REFRESH_MS);
  }
}
