import { PREDICTION_MODEL_VERSION, type PredictionModel, type PredictionModelSnapshot, type ScoredView } from '@sightline/contracts';
import { emptyModel, learn, type ModelOptions } from './model';
import { recordOf } from './record';

/** How a partition's models learn and when they are published. */
export interface LearningOptions {
  /** Partition time from a model's change to the snapshot that publishes it, ms: at most one snapshot per property and partition per period. */
  readonly publishMs: number;
  /** Partition time after which an unchanged model is published again, ms (so that stream retention never drops it). */
  readonly refreshMs: number;
  /** Of the models created from now on; a model keeps the options it was created with. */
  readonly model: ModelOptions;
}

/** A property's partial model after one step of the learning stage, its timer, and what to publish. */
export interface LearningStep {
  readonly state: PredictionModel | undefined;
  /** When the model is published next (partition time); undefined: never. */
  readonly timer: number | undefined;
  /** True when the step learned a completed view. */
  readonly learned: boolean;
  /** The model as published on the property's and partition's subject. */
  readonly snapshot?: PredictionModelSnapshot;
}

/**
 * A score at partition time `now`: a final one is learned into the property's model (a new
 * model: the stored one, which an emitted snapshot may hold, is never changed) and brings the
 * model's publication forward to `publishMs` from now if it was due later; a live one changes
 * nothing.
 */
export function learnScore(stored: PredictionModel | undefined, scored: ScoredView, now: number, timer: number | undefined, options: LearningOptions): LearningStep {
  if (scored.kind !== 'final') return { state: stored, timer, learned: false };
  const model = learn(stored ?? emptyModel(options.model), recordOf(scored), now);
  const due = now + options.publishMs;
  return { state: model, timer: timer === undefined || timer > due ? due : timer, learned: true };
}

/** The model's timer at partition time `now`: its snapshot, and the next publication `refreshMs` later. */
export function publishModel(stored: PredictionModel | undefined, property: string, partition: number, now: number, options: LearningOptions): LearningStep {
  if (!stored) return { state: undefined, timer: undefined, learned: false };
  const snapshot: PredictionModelSnapshot = {
    v: 1,
    property_id: property,
    partition,
    model_version: PREDICTION_MODEL_VERSION,
    views_learned: stored.views_learned,
    at: now,
    model: stored,
  };
  return { state: stored, timer: now + options.refreshMs, learned: false, snapshot };
}
