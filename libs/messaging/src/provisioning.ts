import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { StreamSpec } from '@sightline/contracts';
import type { JetStreamConnection } from './connection';
import { natsClients } from './port/nats-clients';

export interface StreamOptions {
  /** How long messages are kept, ms; 0 keeps them until purged. Default 7 days. */
  readonly maxAgeMs?: number;
  /**
   * Window in which a repeated `Nats-Msg-Id` is dropped, ms. It must cover the redelivery
   * horizon (ack wait x max deliveries) plus a restart. Default 30 minutes; never above maxAge.
   */
  readonly duplicateWindowMs?: number;
  /** `file` (default) or `memory`. */
  readonly storage?: 'file' | 'memory';
  /** Replicas (1 on a single server; 3 in production clusters). */
  readonly replicas?: number;
}

/** JetStream API error code for "stream name already in use" (not exported by the client). */
const STREAM_NAME_IN_USE = 10058;
const DAY_MS = 24 * 3600 * 1000;

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

/** Creates each stream or brings its subjects and limits up to date. Safe to call from every instance. */
export async function ensureStreams(
  connection: JetStreamConnection,
  specs: readonly Pick<StreamSpec, 'name' | 'subjects' | 'description'>[],
  options: StreamOptions = {},
): Promise<void> {
  const { jsm } = natsClients(connection);
  const maxAgeMs = options.maxAgeMs ?? 7 * DAY_MS;
  const windowMs = options.duplicateWindowMs ?? 30 * 60 * 1000;
  const duplicateWindowMs = maxAgeMs > 0 ? Math.min(windowMs, maxAgeMs) : windowMs;
  for (const spec of specs) {
    const wanted: Partial<StreamConfig> & { name: string } = {
      name: spec.name,
      description: spec.description,
      subjects: [...spec.subjects],
      retention: RetentionPolicy.Limits,
      storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      num_replicas: options.replicas ?? 1,
      max_age: nanos(maxAgeMs),
      duplicate_window: nanos(duplicateWindowMs),
    };
    try {
      const info = await jsm.streams.info(spec.name);
      const current = info.config;
      const same =
        current.subjects.join() === wanted.subjects?.join() &&
        current.max_age === wanted.max_age &&
        current.duplicate_window === wanted.duplicate_window;
      if (!same) {
        await jsm.streams.update(spec.name, {
          subjects: wanted.subjects,
          max_age: wanted.max_age,
          duplicate_window: wanted.duplicate_window,
          description: wanted.description,
        });
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await jsm.streams.add(wanted);
      } catch (addError) {
        // Another instance created it between our info and add: that is the outcome we wanted.
        if (!(addError instanceof JetStreamApiError && addError.code === STREAM_NAME_IN_USE)) throw addError;
      }
    }
  }
}

export interface DurableSpec {
  readonly stream: string;
  /** Durable name: the consumer's identity across restarts. */
  readonly durable: string;
  readonly filterSubject: string;
  /** Time the server waits for an ack before redelivering, ms. Default 30 s. */
  readonly ackWaitMs?: number;
  /** Deliveries before the server stops redelivering. Default 10. */
  readonly maxDeliver?: number;
  /** Messages handed out without an ack; bounds memory and in-flight work. Default 1000. */
  readonly maxAckPending?: number;
}

/** Creates the durable pull consumer or updates its tunable settings. */
export async function ensureDurable(connection: JetStreamConnection, spec: DurableSpec): Promise<void> {
  const { jsm } = natsClients(connection);
  const tunables = {
    ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    max_deliver: spec.maxDeliver ?? 10,
    max_ack_pending: spec.maxAckPending ?? 1000,
  };
  try {
    await jsm.consumers.info(spec.stream, spec.durable);
    await jsm.consumers.update(spec.stream, spec.durable, tunables);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(spec.stream, {
      durable_name: spec.durable,
      filter_subject: spec.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...tunables,
    });
  }
}
