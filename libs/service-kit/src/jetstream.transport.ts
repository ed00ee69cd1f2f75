import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { TSchema } from '@sinclair/typebox';
import { DurableWorker, ensureDurable, type JetStreamConnection, type WorkerLogger } from '@sightline/messaging';
import { Counter, Histogram, type Registry } from 'prom-client';
import { isObservable, lastValueFrom } from 'rxjs';
import { JetStreamContext } from './jetstream-context';

/**
 * Binds a handler pattern (the string in `@EventPattern`) to a durable consumer. Patterns are
 * logical names, so the same handler serves any namespace.
 */
export interface ConsumerBinding {
  readonly pattern: string;
  readonly stream: string;
  readonly durable: string;
  readonly filterSubject: string;
  /** Payloads that do not match are dead-lettered. */
  readonly schema: TSchema;
  readonly deadLetterSubject: string;
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
}

export interface JetStreamTransportOptions {
  readonly connection: JetStreamConnection;
  readonly bindings: readonly ConsumerBinding[];
  readonly logger: WorkerLogger;
  readonly metrics: Registry;
}

/**
 * A Nest transport over JetStream durable pull consumers: each binding's handler gets typed,
 * validated payloads and a JetStreamContext; its emitted outputs are published idempotently
 * before the input is acknowledged.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private readonly workers: DurableWorker<TSchema>[] = [];
  private readonly processed: Counter<'durable' | 'outcome'>;
  private readonly duration: Histogram<'durable'>;

  constructor(private readonly options: JetStreamTransportOptions) {
    super();
    this.processed = new Counter({
      name: 'sightline_messages_processed_total',
      help: 'Messages processed by durable consumers, by outcome (ok, retry, dead)',
      labelNames: ['durable', 'outcome'],
      registers: [options.metrics],
    });
    this.duration = new Histogram({
      name: 'sightline_message_processing_seconds',
      help: 'Time to process one message, outputs published included',
      labelNames: ['durable'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [options.metrics],
    });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const binding of this.options.bindings) {
        const handler = this.messageHandlers.get(binding.pattern);
        if (!handler) throw new Error(`no @EventPattern('${binding.pattern}') handler is registered for consumer ${binding.durable}`);
        await ensureDurable(this.options.connection.jsm, binding);
        const worker = new DurableWorker({
          js: this.options.connection.js,
          stream: binding.stream,
          durable: binding.durable,
          schema: binding.schema,
          deadLetterSubject: binding.deadLetterSubject,
          logger: this.options.logger,
          handler: async (payload, context) => {
            const result: unknown = await handler(payload, new JetStreamContext(context));
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          },
          onProcessed: (outcome, ms) => {
            this.processed.inc({ durable: binding.durable, outcome });
            this.duration.observe({ durable: binding.durable }, ms / 1000);
          },
        });
        await worker.start();
        this.workers.push(worker);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops pulling, finishes the messages in hand and returns; the connection is drained by its owner. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.stop()));
  }

  on(): never {
    throw new Error('JetStreamTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }
}
