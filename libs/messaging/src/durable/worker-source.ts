import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { JetStreamConnection } from '../connection';
import { natsClients } from '../port/nats-clients';
import { deliveryOf } from '../port/stored-messages';
import { ensureDurable } from '../provisioning';
import { DEFAULT_ACK_WAIT_MS, type DurableReading, type ReplayReading } from './worker-options';

/** Where a worker's messages come from: a shared durable or a private ordered replay. */
export interface WorkerSource {
  /** Creates what must exist before reading (the durable); safe to call again. */
  provision(): Promise<void>;
  /** Up to `max` messages, waiting at most `expiresMs` for the first. */
  fetch(max: number, expiresMs: number): Promise<JsMsg[]>;
  /** Messages not yet delivered (and, on a durable, delivered and not yet acknowledged). */
  backlog(): Promise<number>;
  /** Messages not yet delivered when reading began. */
  pendingAtStart(): Promise<number>;
}

interface SourceSpec {
  readonly connection: JetStreamConnection;
  readonly stream: string;
  readonly filterSubject: string;
  readonly batchSize: number;
}

export function workerSource(spec: SourceSpec, reading: DurableReading | ReplayReading): WorkerSource {
  return reading.kind === 'durable' ? new DurableSource(spec, reading) : new ReplaySource(spec, reading);
}

async function drainFetch(consumer: Consumer, max: number, expiresMs: number): Promise<JsMsg[]> {
  const messages = await consumer.fetch({ max_messages: max, expires: expiresMs });
  const batch: JsMsg[] = [];
  for await (const msg of messages) batch.push(msg);
  return batch;
}

class DurableSource implements WorkerSource {
  private consumer: Consumer | undefined;

  constructor(
    private readonly spec: SourceSpec,
    private readonly reading: DurableReading,
  ) {}

  async provision(): Promise<void> {
    const { connection, stream, filterSubject, batchSize } = this.spec;
    const { name, ackWaitMs = DEFAULT_ACK_WAIT_MS, maxAckPending = Math.max(1000, batchSize) } = this.reading;
    // Never given up on by the server: the worker holds a failing batch itself.
    await ensureDurable(connection, { stream, durable: name, filterSubject, ackWaitMs, maxDeliver: -1, maxAckPending });
  }

  async fetch(max: number, expiresMs: number): Promise<JsMsg[]> {
    try {
      this.consumer ??= await natsClients(this.spec.connection).js.consumers.get(this.spec.stream, this.reading.name);
      return await drainFetch(this.consumer, max, expiresMs);
    } catch (error) {
      this.consumer = undefined;
      throw error;
    }
  }

  async backlog(): Promise<number> {
    const state = await this.spec.connection.consumerState(this.spec.stream, this.reading.name);
    return state.pending + state.ackPending;
  }

  async pendingAtStart(): Promise<number> {
    return (await this.spec.connection.consumerState(this.spec.stream, this.reading.name)).pending;
  }
}

class ReplaySource implements WorkerSource {
  private consumer: Promise<Consumer> | undefined;

  constructor(
    private readonly spec: SourceSpec,
    private readonly reading: ReplayReading,
  ) {}

  /** Nothing to create: the ordered consumer is made when reading begins. */
  provision(): Promise<void> {
    return Promise.resolve();
  }

  async fetch(max: number, expiresMs: number): Promise<JsMsg[]> {
    return drainFetch(await this.ordered(), max, expiresMs);
  }

  async backlog(): Promise<number> {
    return (await (await this.ordered()).info()).num_pending;
  }

  async pendingAtStart(): Promise<number> {
    return (await (await this.ordered()).info(true)).num_pending;
  }

  /** One ordered consumer for the worker's life: it resumes after the last message it gave. */
  private ordered(): Promise<Consumer> {
    const { connection, stream, filterSubject } = this.spec;
    if (this.consumer) return this.consumer;
    const created = natsClients(connection).js.consumers.get(stream, { filter_subjects: filterSubject, ...deliveryOf(this.reading.from) });
    this.consumer = created;
    created.catch(() => {
      if (this.consumer === created) this.consumer = undefined;
    });
    return created;
  }
}
