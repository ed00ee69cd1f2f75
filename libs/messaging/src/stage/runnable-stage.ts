import type { Static, TSchema } from '@sinclair/typebox';
import type { Emit, KeyedStage, KeyedStepContext, StatelessStage, StepContext, StepResult } from './stage';

type Awaitable<T> = T | Promise<T>;

/**
 * What the core runs: a declared stage, whose steps may also be asynchronous. Only the adapter of
 * Nest handlers (`handlerStage`) has asynchronous steps; declared stages are synchronous.
 */
export type RunnableStage<T extends TSchema, S> =
  | (Omit<KeyedStage<T, S>, 'step' | 'onTimer'> & {
      step(state: S | undefined, input: Static<T>, context: KeyedStepContext): Awaitable<StepResult<S>>;
      onTimer?(state: S | undefined, context: KeyedStepContext): Awaitable<StepResult<S>>;
    })
  | (Omit<StatelessStage<T>, 'step'> & { step(input: Static<T>, context: StepContext): Awaitable<readonly Emit[]> });
