import { BaseRpcContext } from '@nestjs/microservices';
import type { HandlerContext } from '@sightline/messaging';

/** The `@Ctx()` of a JetStream handler: the message's position and `emit` for its outputs. */
export class JetStreamContext extends BaseRpcContext<[HandlerContext]> {
  constructor(handlerContext: HandlerContext) {
    super([handlerContext]);
  }

  private get inner(): HandlerContext {
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
  get deliveryCount(): number {
    return this.inner.deliveryCount;
  }

  /** Queues an output; it is published with a deterministic id after the handler returns. */
  emit(subject: string, payload: unknown): void {
    this.inner.emit(subject, payload);
  }

  /** Runs `action` after the outputs are stored and before the input is acknowledged. */
  onCommit(action: () => Promise<void> | void): void {
    this.inner.onCommit(action);
  }
}
