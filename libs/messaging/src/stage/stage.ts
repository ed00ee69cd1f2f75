import type { Static, TSchema } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import type { ProcessorTuning } from '../partitioned/processor-options';

/** An output of a step. The core publishes it with an id derived from the input's position. */
export interface Emit {
  readonly subject: string;
  readonly payload: unknown;
}

/** Where the input of a step came from, and partition time. */
export interface StepContext {
  /**
   * Partition time, ms: the largest JetStream timestamp seen in the partition (ticks included).
   * Use it instead of the wall clock; it replays identically.
   */
  readonly now: number;
  readonly partition: number;
  readonly stream: string;
  readonly streamSeq: number;
  readonly subject: string;
}

/** What a keyed step sees besides its state and input: its key and the key's timer. */
export interface KeyedStepContext extends StepContext {
  readonly key: string;
  /** The key's timer before the step, if one is set. */
  readonly timer: number | undefined;
}

/**
 * What a keyed step returns: the key's state after it, its outputs, and the key's timer after it.
 * The core applies all three only when the step returns; a step that throws changes nothing
 * (the partition resumes from its last checkpoint and replays), so a step may change the state
 * object it was given in place and return it.
 */
export interface StepResult<S> {
  /** The key's state after the step; undefined deletes the key. */
  readonly state: S | undefined;
  readonly outputs?: readonly Emit[];
  /** Partition time at which `onTimer` runs for the key; absent or undefined: no timer. */
  readonly timer?: number | undefined;
}

/**
 * How a key's state is kept in the changelog: `save` turns it into JSON-serialisable data at a
 * checkpoint, `restore` builds it back when a partition is restored. Without a codec the state
 * itself is written as JSON and restored as parsed.
 */
export interface StateCodec<S> {
  save(state: S): unknown;
  restore(saved: unknown): S;
}

interface StageCommon<T extends TSchema> {
  /** The consumer group: instances of a service share its partitions; names durables, state and output ids. Keep it stable. */
  readonly name: string;
  readonly input: PartitionedInput;
  /** Payloads that do not match are dead-lettered on `deadLetterSubject`. */
  readonly schema: T;
  readonly deadLetterSubject: string;
  readonly tuning?: ProcessorTuning;
}

/**
 * A stage with state per key, declared once (Flink's KeyedProcessFunction, Elm's update): the
 * key of an input, a pure step from (state, input) to (state, outputs, timer), and its timer
 * counterpart. Steps must be deterministic (no wall clock, no randomness): the same inputs in the
 * same order give the same states and outputs, which is what makes replays exact.
 */
export interface KeyedStage<T extends TSchema, S> extends StageCommon<T> {
  readonly kind: 'keyed';
  keyOf(input: Static<T>): string;
  step(state: S | undefined, input: Static<T>, context: KeyedStepContext): StepResult<S>;
  /** The key's timer is due (partition time reached it). */
  onTimer?(state: S | undefined, context: KeyedStepContext): StepResult<S>;
  readonly codec?: StateCodec<S>;
}

/** A stage without state: each input gives its outputs. */
export interface StatelessStage<T extends TSchema> extends StageCommon<T> {
  readonly kind: 'stateless';
  step(input: Static<T>, context: StepContext): readonly Emit[];
}

export type Stage<T extends TSchema = TSchema, S = unknown> = KeyedStage<T, S> | StatelessStage<T>;

/** Declares a keyed stage (checks the declaration eagerly). */
export function keyedStage<T extends TSchema, S>(declaration: Omit<KeyedStage<T, S>, 'kind'>): KeyedStage<T, S> {
  if (!declaration.name) throw new Error('keyedStage: give the stage a name (its consumer group)');
  return { kind: 'keyed', ...declaration };
}

/** Declares a stateless stage. */
export function statelessStage<T extends TSchema>(declaration: Omit<StatelessStage<T>, 'kind'>): StatelessStage<T> {
  if (!declaration.name) throw new Error('statelessStage: give the stage a name (its consumer group)');
  return { kind: 'stateless', ...declaration };
}
