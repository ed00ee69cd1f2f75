/** Where a message came from: its stream position identifies it for ever. */
export interface MessagePosition {
  readonly stream: string;
  readonly streamSeq: number;
  readonly subject: string;
  /** 1 on first delivery; more after a crash or a failed attempt. */
  readonly deliveryCount: number;
}

/**
 * What a handler sees besides the payload. Outputs are emitted, not published: the runner
 * publishes them after the handler returns, with ids derived from the input position, so a
 * re-run after a crash is de-duplicated by the output stream.
 */
export interface HandlerContext extends MessagePosition {
  /** Queues an output. The n-th emit of a message always gets the same id. */
  emit(subject: string, payload: unknown): void;
  /**
   * Runs `action` once the outputs are stored and before the input is acknowledged; a handler
   * keeping state saves it here, so saved state never runs ahead of published outputs.
   */
  onCommit(action: () => Promise<void> | void): void;
}

export type MessageHandler<T> = (payload: T, context: HandlerContext) => Promise<void> | void;

/** The id of the `index`-th output of the consumer `durable` for one input position. */
export function outputMsgId(durable: string, position: Pick<MessagePosition, 'stream' | 'streamSeq'>, index: number): string {
  return `${durable}:${position.stream}:${position.streamSeq}:${index}`;
}
