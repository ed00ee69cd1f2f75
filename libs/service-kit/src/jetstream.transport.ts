import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { TSchema } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import {
  PartitionedConsumer,
  type HandlerContext,
  type JetStreamConnection,
  type PartitionHandler,
  type ProcessorLogger,
  type ProcessorTuning,
} from '@sightline/messaging';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { isObservable, lastValueFrom } from 'rxjs';
import { JetStreamContext } from './jetstream-context';

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
  readonly connection: JetStreamConnection;
  readonly bindings: readonly ConsumerBinding[];
  /** Prefix of the KV buckets for state and leases (the namespace). */
  readonly bucketPrefix: string;
  readonly leaseTtlMs: number;
  readonly logger: ProcessorLogger;
  readonly metrics: Registry;
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
 * A Nest transport over JetStream: each binding's handler gets validated payloads and a
 * JetStreamContext, runs in partition order on whichever instance owns the partition, and its
 * outputs and state are stored exactly once (see docs/exactly-once.md).
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: PartitionedConsumer<TSchema, unknown>[] = [];

  constructor(private readonly options: JetStreamTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const processed = new Counter({
        name: 'sightline_messages_processed_total',
        help: 'Messages processed, by consumer group and outcome (ok, dead, skipped as already applied)',
        labelNames: ['group', 'outcome'],
        registers: [this.options.metrics],
      });
      const checkpoints = new Histogram({
        name: 'sightline_checkpoint_seconds',
        help: 'Time to checkpoint a partition: outputs confirmed, keys and position saved',
        labelNames: ['group'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
        registers: [this.options.metrics],
      });
      const consumers = this.consumers;
      new Gauge({
        name: 'sightline_partitions_owned',
        help: 'Partitions this instance processes, by consumer group',
        labelNames: ['group'],
        registers: [this.options.metrics],
        collect() {
          for (const c of consumers) this.set({ group: c.group }, c.owned().length);
        },
      });
      for (const binding of this.options.bindings) {
        const onMessage = this.messageHandlers.get(binding.pattern) as NestHandler | undefined;
        if (!onMessage) throw new Error(`no @EventPattern('${binding.pattern}') handler is registered for group ${binding.group}`);
        const onTimer = binding.timerPattern ? (this.messageHandlers.get(binding.timerPattern) as NestHandler | undefined) : undefined;
        if (binding.timerPattern && !onTimer) throw new Error(`no @EventPattern('${binding.timerPattern}') timer handler is registered`);
        const handler: PartitionHandler<unknown, unknown> = {
          ...(binding.keyOf ? { keyOf: binding.keyOf as (payload: unknown) => string } : {}),
          onMessage: (payload, context) => invoke(onMessage, payload, context),
          ...(onTimer ? { onTimer: (context) => invoke(onTimer, { key: context.key ?? '', now: context.now } satisfies TimerEvent, context) } : {}),
        };
        const consumer = new PartitionedConsumer<TSchema, unknown>({
          connection: this.options.connection,
          group: binding.group,
          bucketPrefix: this.options.bucketPrefix,
          input: binding.input,
          schema: binding.schema,
          handler,
          deadLetterSubject: binding.deadLetterSubject,
          logger: this.options.logger,
          leaseTtlMs: this.options.leaseTtlMs,
          ...(binding.tuning ? { tuning: binding.tuning } : {}),
          hooks: {
            onProcessed: (outcome, count) => processed.inc({ group: binding.group, outcome }, count),
            onCheckpoint: (ms) => checkpoints.observe({ group: binding.group }, ms / 1000),
          },
        });
        await consumer.start();
        this.consumers.push(consumer);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops pulling, finishes in-flight messages, checkpoints and hands the partitions over. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.stop()));
  }

  on(): never {
    throw new Error('JetStreamTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }
}
