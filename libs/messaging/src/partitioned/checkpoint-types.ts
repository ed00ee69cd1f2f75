/** What is kept of one key: its state, its timer and the input sequence it reflects. */
export interface KeyRecord<S> {
  /** Stream sequence of the last message (or timer) applied to this key. */
  readonly seq: number;
  readonly state?: S;
  readonly timer?: number;
}

/** Where a partition's input stands: everything up to `seq` is in the saved state. */
export interface Position {
  readonly seq: number;
  /** Partition time at `seq`, ms. */
  readonly now: number;
}

export interface PartitionCheckpoint<S, Token> {
  readonly position: Position;
  readonly records: Map<string, KeyRecord<S>>;
  /** What the next save needs to append after this state (and nobody else's). */
  readonly token: Token;
}

/** Thrown when someone else wrote the partition's state since we read it: we no longer own it. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}
