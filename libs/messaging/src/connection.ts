import { connect } from '@nats-io/transport-node';
import type { AsyncPublisher } from './async-publisher';
import type { PublishResult } from './publisher';
import { NatsJetStreamConnection } from './port/nats-jetstream-connection';
import type { ConnectionState, ConsumerState, Listening, PublishOptions, ReadOptions, ReceivedMessage, SnapshotOptions, StoredMessages, StreamSnapshot, StreamState } from './port/port-types';

/**
 * The messaging port: everything services and tools do with NATS and JetStream beyond what the
 * stage runtime, `DurableWorker` and `WatchedBucket` do for them. The raw clients stay inside
 * this lib (and libs/test-support).
 */
export interface JetStreamConnection {
  /** Server version, e.g. `2.9.10`; check it before using a feature newer than 2.9. */
  readonly serverVersion: string;
  /** False from a disconnect until the client has reconnected: callers can fail fast meanwhile. */
  readonly connected: boolean;
  readonly state: ConnectionState;
  /** Publishes to a stream and resolves once stored (a duplicate id counts as stored). */
  publish(subject: string, data: Uint8Array | string, options?: PublishOptions): Promise<PublishResult>;
  /** A pipelined publisher (one shared reply inbox) for high rates; close it when done. */
  pipelinedPublisher(timeoutMs?: number): AsyncPublisher;
  /** Core NATS request/reply: the reply's bytes, or a rejection after `timeoutMs` or when nobody serves `subject`. */
  request(subject: string, data: Uint8Array | string, timeoutMs?: number): Promise<Uint8Array>;
  /**
   * Answers core NATS requests on `subject` as one member of queue group `queue` (each request
   * goes to one member). `answer` must not throw: a request it throws on goes unanswered.
   */
  serve(subject: string, options: { readonly queue: string }, answer: (request: ReceivedMessage) => Uint8Array | string): Listening;
  /** Every core NATS message on `subject` (stored or not) from now on: for monitors that count. */
  subscribe(subject: string, onMessage: (message: ReceivedMessage) => void): Listening;
  /** Reads a stream in order from `from`, without a durable or acknowledgements. */
  read(options: ReadOptions): Promise<StoredMessages>;
  /** What a stream holds now from a position (subject filter and start time as `read`), read to its current end. */
  readSnapshot(options: SnapshotOptions): Promise<StreamSnapshot>;
  streamState(stream: string): Promise<StreamState>;
  /** Removes the messages of a stream (only those on `subject`, when given); resolves with how many. */
  purgeStream(stream: string, options?: { readonly subject?: string }): Promise<number>;
  consumerState(stream: string, durable: string): Promise<ConsumerState>;
  /** Flushes pending publishes and acknowledgements, then closes. */
  drain(): Promise<void>;
}

export interface ConnectOptions {
  /** Comma-separated NATS URLs. */
  readonly servers: string;
  /** Client name shown by the server's monitoring. */
  readonly name: string;
  /** Time to wait for the first connection, ms. Default 5000. */
  readonly connectTimeoutMs?: number;
}

/** Connects and keeps reconnecting for ever: a service outlives NATS restarts. */
export async function connectJetStream(options: ConnectOptions): Promise<JetStreamConnection> {
  const nc = await connect({
    servers: options.servers.split(',').map((s) => s.trim()),
    name: options.name,
    timeout: options.connectTimeoutMs ?? 5000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  return NatsJetStreamConnection.open(nc);
}

/** True when the server version is at least `major.minor`. */
export function serverAtLeast(version: string, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  return maj > major || (maj === major && min >= minor);
}
