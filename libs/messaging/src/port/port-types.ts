/** Options of one JetStream publish. */
export interface PublishOptions {
  /** De-duplication id (`Nats-Msg-Id`): a repeat within the stream's duplicate window is stored once. Default none. */
  readonly msgId?: string;
  /** Headers, e.g. `{ [CONTROL_HEADER]: 'tick' }`. Default none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long to wait for the stream's acknowledgement, ms. Default 5000. */
  readonly timeoutMs?: number;
}

/** A message as received: core NATS or read back from a stream. */
export interface ReceivedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  string(): string;
  json<T>(): T;
}

/** A message stored in a stream, read back. */
export interface StoredMessage extends ReceivedMessage {
  readonly streamSeq: number;
  /** When the stream stored it, ms since the epoch. */
  readonly storedAt: number;
  /** A control message (`Sightline-Control` header, e.g. a tick): no payload for consumers. */
  readonly control: boolean;
  /** Messages of the read still to come after this one. */
  readonly pending: number;
}

/** Stored messages in stream order, as they arrive; `stop` ends the iteration. */
export interface StoredMessages extends AsyncIterable<StoredMessage> {
  stop(): void;
}

/**
 * Where a read of a stream begins: `start`, `new`, `last-per-subject`, or the first message
 * stored at or after `startTime` (ms since the epoch; the server seeks by time, nothing before it
 * is read).
 */
export type ReadFrom = 'start' | 'new' | 'last-per-subject' | { readonly startTime: number };

export interface ReadOptions {
  readonly stream: string;
  /** Only subjects matching this NATS filter. Default every subject of the stream. */
  readonly filterSubject?: string;
  /** `start`: every message kept; `new`: those stored from now on; `last-per-subject`: the newest of each subject, then new ones; `{ startTime }`: from that time on. */
  readonly from: ReadFrom;
}

/** A read of what a stream holds now: it ends at the last message stored when it began. */
export interface SnapshotOptions {
  readonly stream: string;
  /** Only subjects matching this NATS filter. Default every subject of the stream. */
  readonly filterSubject?: string;
  readonly from: Exclude<ReadFrom, 'new'>;
  /** Stop at the first message stored after this time, ms since the epoch. Default: read to the stream's current end. */
  readonly until?: number;
  /** At most this many messages (the oldest first); the read is `truncated` beyond. Default 100000. */
  readonly limit?: number;
}

/** The messages of a snapshot read, in stream order. */
export interface StreamSnapshot {
  readonly messages: StoredMessage[];
  /** More messages matched than `limit`. */
  readonly truncated: boolean;
}

/** A subscription or a request responder; `stop` drains what it has received, then ends it. */
export interface Listening {
  stop(): Promise<void>;
}

/** What a stream holds. */
export interface StreamState {
  readonly messages: number;
  readonly bytes: number;
  /** Sequence of the first message kept, and of the last ever stored (0 when none). */
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly consumers: number;
}

/** Where a durable consumer stands. */
export interface ConsumerState {
  /** Messages not yet delivered. */
  readonly pending: number;
  /** Delivered and not yet acknowledged. */
  readonly ackPending: number;
  /** Delivered more than once, and not yet acknowledged. */
  readonly redelivered: number;
  /** Stream sequence up to which every message is acknowledged. */
  readonly ackFloor: number;
}

/** `connected`; `reconnecting` after a disconnect; `draining` and `closed` once shut down. */
export type ConnectionState = 'connected' | 'reconnecting' | 'draining' | 'closed';
