/** Where a message came from: its stream position identifies it for ever. */
export interface MessagePosition {
  readonly stream: string;
  readonly streamSeq: number;
  readonly subject: string;
  readonly partition: number;
}

/** The state of the key a message (or timer) belongs to. Changes apply only if the handler succeeds. */
export interface KeyedState<S> {
  get(): S | undefined;
  set(state: S): void;
  delete(): void;
  /** The key's timer, if one is set. */
  readonly timer: number | undefined;
  /** Calls the handler's `onTimer` for this key once partition time reaches `at` (one timer per key). */
  setTimer(at: number): void;
  clearTimer(): void;
}

/**
 * What a handler sees besides the payload. Outputs are emitted, not published: the processor
 * publishes them with ids derived from the input position (so a replay after a crash is
 * dropped by the output stream as a duplicate) and acknowledges the input only once they and
 * the state are stored.
 */
export interface HandlerContext<S = unknown> extends MessagePosition {
  /**
   * Partition time, ms: the largest JetStream timestamp seen in the partition (ticks included).
   * Use it instead of the wall clock; it replays identically.
   */
  readonly now: number;
  /** The state key, or undefined for a stateless handler. */
  readonly key: string | undefined;
  /** The key's state; throws for a stateless handler. */
  readonly state: KeyedState<S>;
  emit(subject: string, payload: unknown): void;
}

/**
 * A partition handler. It must be deterministic: the same messages in the same order give the
 * same state and outputs (no wall clock, no randomness), which is what makes replays exact.
 */
export interface PartitionHandler<T, S = unknown> {
  /** The state key of a message (e.g. its view id). Without it the handler is stateless. */
  keyOf?(payload: T): string;
  onMessage(payload: T, context: HandlerContext<S>): void | Promise<void>;
  /** A key's timer is due (`context.key` says which). */
  onTimer?(context: HandlerContext<S>): void | Promise<void>;
}
