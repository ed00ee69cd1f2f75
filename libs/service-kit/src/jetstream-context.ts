import { BaseRpcContext } from '@nestjs/microservices';
import type { HandlerContext, KeyedState } from '@sightline/messaging';

/**
 * The `@Ctx()` of a JetStream handler: the message's position, partition time, the keyed state
 * of its key, and `emit` for its outputs (published with deterministic ids once it returns).
 */
export class JetStreamContext<S = unknown> extends BaseRpcContext<[HandlerContext<S>]> {
  constructor(handlerContext: HandlerContext<S>) {
    super([handlerContext]);
  }

  private get inner(): HandlerContext<S> {
    return this.getArgByIndex(0);
  }

  get stream(): string {
    return this.inner.stream;
  }
  get streamSeq(): number {
    return this.inner.streamSeq;
  }
  get subject(): string {
    return this.inner.subject;
  }
  get partition(): number {
    return this.inner.partition;
  }
  /** Partition time, ms: use it instead of the wall clock. */
  get now(): number {
    return this.inner.now;
  }
  /** The state key of the message (the binding's keyOf), or undefined for a stateless handler. */
  get key(): string | undefined {
    return this.inner.key;
  }
  get state(): KeyedState<S> {
    return this.inner.state;
  }

  /** Queues an output; it is published with a deterministic id after the handler returns. */
  emit(subject: string, payload: unknown): void {
    this.inner.emit(subject, payload);
  }
}
