import type { Static, TSchema } from '@sinclair/typebox';
import type { BackoffPolicy } from '@sightline/runtime';
import type { JetStreamConnection } from '../connection';
import type { ProcessorLogger } from '../partitioned/processor-options';

/**
 * A durable consumer shared by every instance: each message is handled by one of them at least
 * once, acknowledged only after its batch was handled; invalid payloads are dead-lettered.
 */
export interface DurableReading {
  readonly kind: 'durable';
  /** Durable name: where reading resumes after a restart, and the dead letters' `consumer`. */
  readonly name: string;
  /** Where invalid payloads are published (`DeadLetterSchema`) before they are acknowledged. */
  readonly deadLetterSubject: string;
  /**
   * The server's ack wait, ms. A batch being handled or retried is kept ours meanwhile (the
   * worker marks it in progress every third of this), so only a crash lets it be redelivered.
   * Default 30000.
   */
  readonly ackWaitMs?: number;
  /** Messages handed out and not yet acknowledged, at most. Default: the larger of 1000 and `batchSize`. */
  readonly maxAckPending?: number;
}

/**
 * An ordered consumer of this instance alone, created at each start and never acknowledged: a
 * replay of the stream into memory. Invalid payloads are logged and skipped (every instance
 * reads them; dead letters are for messages a durable gives up on).
 */
export interface ReplayReading {
  readonly kind: 'replay';
  /** `start`: every message kept by the stream; `last-per-subject`: the newest of each subject; `{ startTime }`: those stored from then on (ms). */
  readonly from: 'start' | 'last-per-subject' | { readonly startTime: number };
}

/** One valid message, as the handler gets it. */
export interface Delivery<V> {
  readonly value: V;
  readonly subject: string;
  readonly streamSeq: number;
  /** 1 the first time the stream delivers it. */
  readonly deliveryCount: number;
  /** When the stream stored it, ms since the epoch. */
  readonly storedAt: number;
}

/** What a handled batch held. */
export interface BatchOutcome {
  /** Valid messages given to the handler. */
  readonly handled: number;
  /** Invalid payloads: dead-lettered (durable) or skipped (replay). */
  readonly invalid: number;
  /** Control messages (`Sightline-Control` header, e.g. ticks): skipped, never given to the handler. */
  readonly control: number;
  /** Messages of the consumer still to deliver after this batch. */
  readonly pending: number;
}

/** A batch the handler (or a dead letter's publish) failed on: held, and retried after `delayMs`. */
export interface HeldBatch {
  /** Failed attempts at this batch so far, 1 at the first failure. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: Error;
  /** Messages in the batch. */
  readonly messages: number;
}

/** Callbacks for metrics and status; they must not throw. */
export interface DurableWorkerHooks {
  /** A batch was handled (and, on a durable, acknowledged). */
  onHandled?(outcome: BatchOutcome): void;
  /** A batch failed and is held for a retry. */
  onHeld?(held: HeldBatch): void;
}

/** Every option says what it does and its default; the required ones have none. */
export interface DurableWorkerOptions<T extends TSchema> {
  /** The connection the worker reads, acknowledges and dead-letters through. Required. */
  readonly connection: JetStreamConnection;
  /** The stream read. Required. */
  readonly stream: string;
  /** The subjects of it read (wildcards allowed). Required. */
  readonly filterSubject: string;
  /** How the stream is read: a shared durable or a private replay. Required. */
  readonly reading: DurableReading | ReplayReading;
  /** Schema of every payload: messages that are not JSON of it never reach the handler. Required. */
  readonly schema: T;
  /**
   * Handles one batch of valid messages, in stream order. Resolving means the batch is done
   * (a durable then acknowledges it); throwing means "not now" (the sink is down): the batch is
   * held and the same batch retried with `backoff` until it succeeds or the worker stops. It must
   * therefore be idempotent. Not called for a batch without valid messages. Required.
   */
  readonly handle: (batch: readonly Delivery<Static<T>>[]) => Promise<void> | void;
  /** Messages fetched, and handled together, at most. Default 100. */
  readonly batchSize?: number;
  /** How long a fetch waits for messages, ms; at least 1000 (the client's floor). Default 1000. */
  readonly fetchExpiresMs?: number;
  /**
   * Pauses between attempts at a failed batch, and after a failed fetch: capped exponential
   * (`backoffCeilingMs`). Default `{ baseMs: 250, maxMs: 10000 }`.
   */
  readonly backoff?: BackoffPolicy;
  /** Where fetch failures, retries and dead letters are logged. Required. */
  readonly logger: ProcessorLogger;
  /** Metrics and status callbacks. Default none. */
  readonly hooks?: DurableWorkerHooks;
}

export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_FETCH_EXPIRES_MS = 1000;
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 10_000 };
