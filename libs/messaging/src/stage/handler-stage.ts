import type { TSchema } from '@sinclair/typebox';
import type { PartitionHandler } from '../handler';
import { processingContext, stageFor } from '../partitioned/processing-context';
import type { KeyedStepContext, Stage, StepContext, StepResult } from './stage';
import type { RunnableStage } from './runnable-stage';

type StageCommon<T extends TSchema> = Pick<Stage<T>, 'name' | 'input' | 'schema' | 'deadLetterSubject' | 'tuning'>;

/**
 * A handler written against the context API (`ctx.state.get/set`, `ctx.emit`: Nest's
 * `@EventPattern` handlers) run as a stage. Its changes are staged per call and become the
 * step's result, so they apply only when the call returns, as a declared stage's do.
 */
export function handlerStage<T extends TSchema, S>(common: StageCommon<T>, handler: PartitionHandler<never, S>): RunnableStage<T, S> {
  const onMessage = handler.onMessage as PartitionHandler<unknown, S>['onMessage'];
  const keyOf = handler.keyOf as ((input: unknown) => string) | undefined;
  const onTimer = handler.onTimer;
  async function run(state: S | undefined, context: StepContext, key: string | undefined, timer: number | undefined, call: (ctx: ReturnType<typeof processingContext<S>>) => unknown): Promise<StepResult<S>> {
    const staged = stageFor<S>(state, timer);
    const result = call(processingContext({ ...context }, context.now, key, staged));
    if (result instanceof Promise) await result;
    return { state: staged.state, timer: staged.timer, outputs: staged.emits.map(([subject, payload]) => ({ subject, payload })) };
  }
  if (!keyOf) {
    return {
      kind: 'stateless',
      ...common,
      step: async (input, context) => (await run(undefined, context, undefined, undefined, (ctx) => onMessage(input, ctx))).outputs ?? [],
    };
  }
  return {
    kind: 'keyed',
    ...common,
    keyOf: (input) => keyOf(input),
    step: (state, input, context: KeyedStepContext) => run(state, context, context.key, context.timer, (ctx) => onMessage(input, ctx)),
    ...(onTimer ? { onTimer: (state: S | undefined, context: KeyedStepContext) => run(state, context, context.key, undefined, (ctx) => onTimer(ctx)) } : {}),
  };
}
