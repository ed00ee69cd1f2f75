import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { TSchema } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import { handlerStage, type HandlerContext, type PartitionHandler, type ProcessorTuning } from '@sightline/messaging';
import { isObservable, lastValueFrom } from 'rxjs';
import { JetStreamContext } from './jetstream-context';
import type { StageRunner } from './stage-runner';

/**
 * Binds a handler pattern (the string in `@EventPattern`) to a partitioned input read by a
 * consumer group. Patterns are logical names, so the same handler serves any namespace.
 */
export interface ConsumerBinding {
  readonly pattern: string;
  /** Pattern of the handler called when a key's timer is due (stateful handlers). */
  readonly timerPattern?: string;
  /** Consumer group; instances of a service share its partitions. */
  readonly group: string;
  readonly input: PartitionedInput;
  /** Payloads that do not match are dead-lettered. */
  readonly schema: TSchema;
  /** State key of a message; without it the handler is stateless. */
  readonly keyOf?: (payload: never) => string;
  readonly deadLetterSubject: string;
  readonly tuning?: ProcessorTuning;
}

export interface JetStreamTransportOptions {
  readonly bindings: readonly ConsumerBinding[];
  readonly runner: StageRunner;
}

/** The payload of a timer handler call. */
export interface TimerEvent {
  readonly key: string;
  readonly now: number;
}

type NestHandler = (data: unknown, context: JetStreamContext<unknown>) => unknown;

async function invoke(handler: NestHandler, data: unknown, context: HandlerContext<unknown>): Promise<void> {
  const result = await handler(data, new JetStreamContext(context));
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

/**
 * A Nest transport over JetStream for handlers written as `@EventPattern` methods: each binding's
 * handler gets validated payloads and a JetStreamContext and runs as a stage (`handlerStage`) on
 * the service's StageRunner. Services declare stages instead; this remains for handlers not yet
 * declared as stages.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  constructor(private readonly options: JetStreamTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const stages = this.options.bindings.map((binding) => {
        const onMessage = this.messageHandlers.get(binding.pattern) as NestHandler | undefined;
        if (!onMessage) throw new Error(`no @EventPattern('${binding.pattern}') handler is registered for group ${binding.group}`);
        const onTimer = binding.timerPattern ? (this.messageHandlers.get(binding.timerPattern) as NestHandler | undefined) : undefined;
        if (binding.timerPattern && !onTimer) throw new Error(`no @EventPattern('${binding.timerPattern}') timer handler is registered`);
        const handler: PartitionHandler<unknown, unknown> = {
          ...(binding.keyOf ? { keyOf: binding.keyOf as (payload: unknown) => string } : {}),
          onMessage: (payload, context) => invoke(onMessage, payload, context),
          ...(onTimer ? { onTimer: (context) => invoke(onTimer, { key: context.key ?? '', now: context.now } satisfies TimerEvent, context) } : {}),
        };
        const common = { name: binding.group, input: binding.input, schema: binding.schema, deadLetterSubject: binding.deadLetterSubject, ...(binding.tuning ? { tuning: binding.tuning } : {}) };
        return handlerStage<TSchema, unknown>(common, handler);
      });
      await this.options.runner.start(stages);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops the runner's consumers (the service closes it too; a second close has nothing left to stop). */
  close(): Promise<void> {
    return this.options.runner.close();
  }

  on(): never {
    throw new Error('JetStreamTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.options.runner as T;
  }
}
