import type { JsMsg } from '@nats-io/jetstream';

/**
 * Keeps a batch of a durable ours while it is handled or retried: every third of the ack wait
 * each message is marked in progress, so the server redelivers it only if this process dies.
 */
export class HeldMessages {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly messages: readonly JsMsg[],
    ackWaitMs: number,
  ) {
    this.timer = setInterval(() => this.touch(), Math.max(100, Math.floor(ackWaitMs / 3)));
  }

  /** Done with the batch: each message acknowledged. */
  ack(): void {
    this.release();
    for (const msg of this.messages) msg.ack();
  }

  /** Not handled: each message handed back for redelivery at once. */
  nak(): void {
    this.release();
    for (const msg of this.messages) msg.nak();
  }

  private touch(): void {
    for (const msg of this.messages) msg.working();
  }

  private release(): void {
    clearInterval(this.timer);
  }
}
