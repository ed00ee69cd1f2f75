import type { JsMsg } from '@nats-io/jetstream';
import { ensureDurable, publishJson, retryDelayMs, CONTROL_HEADER, type DeadLetter, type JetStreamConnection } from '@sightline/messaging';
import { planBatch, type BatchPlan, type InputMessage, type Projection, type ReadModelStore } from '@sightline/read-models';
import { InterruptibleSleep } from '@sightline/runtime';
import type { Logger } from '@sightline/runtime';
import type { RetryPolicy } from './projector.config';
import type { ProjectorMetrics } from './projector-metrics';

export interface StreamProjectorOptions {
  readonly connection: JetStreamConnection;
  readonly projection: Projection;
  /** Input stream and the subjects of it to read. */
  readonly stream: string;
  readonly filterSubject: string;
  /** Durable consumer name: where the projector resumes after a restart. */
  readonly durable: string;
  /** Where invalid messages are published (DeadLetterSchema), then acknowledged. */
  readonly deadLetterSubject: string;
  /** The read models; undefined while MONGO_URL is unset: nothing is fetched. */
  readonly store: ReadModelStore | undefined;
  /** Messages fetched and written together. Default 500. */
  readonly batchSize?: number;
  /** How long a fetch waits for messages, ms: at least 1000 (the client's floor). Default 1000. */
  readonly fetchExpiresMs?: number;
  /** The durable's ack wait, ms; the batch being retried is kept ours by `working()` meanwhile. */
  readonly ackWaitMs: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  readonly metrics: ProjectorMetrics;
}

/** What `/v1/projector/status` shows of one input. */
export interface StreamProjectorStatus {
  readonly lag: number | null;
  /** Failed attempts at the batch in hand; 0 when writing normally. */
  readonly failedAttempts: number;
  readonly lastError: string | null;
  readonly lastWriteAt: string | null;
}

/**
 * Projects one input stream: a durable pull consumer, read in batches; each batch is written with
 * one bulk write per collection and acknowledged only once written. A failed write is retried,
 * with capped exponential backoff, for as long as it fails: the stream keeps the messages, so
 * the projector catches up when the store returns, and the real-time path never waits for it.
 */
export class StreamProjector {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly sleeper = new InterruptibleSleep();
  private failedAttempts = 0;
  private lastError: string | null = null;
  private lastWriteAt: Date | null = null;
  private lag: number | null = null;

  constructor(private readonly options: StreamProjectorOptions) {}

  get input(): string {
    return this.options.projection.input;
  }

  /** Provisions the durable consumer and, when there is a store, starts projecting. */
  async start(): Promise<void> {
    const { connection, stream, durable, filterSubject, ackWaitMs, batchSize = 500 } = this.options;
    await ensureDurable(connection.jsm, { stream, durable, filterSubject, ackWaitMs, maxDeliver: -1, maxAckPending: Math.max(1000, batchSize) });
    if (!this.options.store) return;
    this.running = true;
    this.loop = this.run(this.options.store);
  }

  /** Stops after the batch in hand; a batch not yet written is handed back (nak) for redelivery. */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wake();
    await this.loop;
  }

  /** Reads the consumer's backlog (pending plus unacknowledged) into the lag gauge. */
  async refreshLag(): Promise<void> {
    const info = await this.options.connection.jsm.consumers.info(this.options.stream, this.options.durable);
    this.lag = info.num_pending + info.num_ack_pending;
    this.options.metrics.lag.set({ input: this.input }, this.lag);
  }

  status(): StreamProjectorStatus {
    return { lag: this.lag, failedAttempts: this.failedAttempts, lastError: this.lastError, lastWriteAt: this.lastWriteAt?.toISOString() ?? null };
  }

  private async run(store: ReadModelStore): Promise<void> {
    const { stream, durable, logger } = this.options;
    let fetchFailures = 0;
    while (this.running) {
      let batch: JsMsg[];
      try {
        batch = await this.fetch();
        fetchFailures = 0;
      } catch (error) {
        fetchFailures++;
        logger.warn({ input: this.input, err: (error as Error).message }, 'cannot fetch from the stream; retrying');
        await this.sleeper.sleep(retryDelayMs(fetchFailures, this.options.retry.baseMs, this.options.retry.maxMs));
        continue;
      }
      if (batch.length === 0) continue;
      const plan = planBatch(this.options.projection, batch.map(toInputMessage));
      const written = await this.writeUntilStored(store, plan, batch);
      if (!written) {
        for (const msg of batch) msg.nak();
        break;
      }
      try {
        await this.deadLetter(plan);
      } catch (error) {
        // Not acknowledged: the batch comes back after the ack wait and is written again (changing nothing).
        logger.warn({ input: this.input, err: (error as Error).message }, 'cannot publish dead letters; the batch will be redelivered');
        continue;
      }
      for (const msg of batch) msg.ack();
      this.options.metrics.ignored.inc({ input: this.input }, plan.ignored);
      this.lag = batch.at(-1)!.info.pending;
      this.options.metrics.lag.set({ input: this.input }, this.lag);
    }
    logger.info({ input: this.input, stream, durable }, 'projection stopped');
  }

  private async fetch(): Promise<JsMsg[]> {
    const consumer = await this.options.connection.js.consumers.get(this.options.stream, this.options.durable);
    const messages = await consumer.fetch({ max_messages: this.options.batchSize ?? 500, expires: this.options.fetchExpiresMs ?? 1000 });
    const batch: JsMsg[] = [];
    for await (const msg of messages) batch.push(msg);
    return batch;
  }

  /** Writes the plan until it succeeds (true) or the projector stops (false). */
  private async writeUntilStored(store: ReadModelStore, plan: BatchPlan, batch: readonly JsMsg[]): Promise<boolean> {
    const { logger, metrics, retry } = this.options;
    for (let attempt = 1; this.running; attempt++) {
      try {
        const outcome = plan.upserts.length > 0 ? await store.write(plan.upserts) : new Map();
        metrics.recordOutcome(outcome);
        metrics.mongoUp.set(1);
        if (this.failedAttempts > 0) logger.info({ input: this.input, attempts: attempt }, 'read models writable again; catching up');
        this.failedAttempts = 0;
        this.lastError = null;
        this.lastWriteAt = new Date();
        return true;
      } catch (error) {
        this.failedAttempts = attempt;
        this.lastError = (error as Error).message;
        metrics.writeFailures.inc({ input: this.input });
        metrics.mongoUp.set(0);
        const delayMs = retryDelayMs(attempt, retry.baseMs, retry.maxMs);
        const log = attempt === 1 || attempt % 10 === 0 ? logger.warn.bind(logger) : logger.debug.bind(logger);
        log({ input: this.input, attempt, delayMs, messages: batch.length, err: this.lastError }, 'cannot write the read models; holding the batch and retrying');
        for (const msg of batch) msg.working();
        await this.sleeper.sleep(delayMs);
        for (const msg of batch) msg.working();
      }
    }
    return false;
  }

  private async deadLetter(plan: BatchPlan): Promise<void> {
    if (plan.invalid.length === 0) return;
    const { connection, stream, durable, deadLetterSubject, logger, metrics } = this.options;
    metrics.invalid.inc({ input: this.input }, plan.invalid.length);
    for (const { message, error } of plan.invalid) {
      logger.warn({ input: this.input, seq: message.seq, subject: message.subject, err: error }, 'invalid message dead-lettered');
      const letter: DeadLetter = {
        v: 1,
        consumer: durable,
        stream,
        stream_seq: message.seq,
        subject: message.subject,
        delivery_count: message.deliveryCount,
        reason: 'invalid_payload',
        error,
        payload: Buffer.from(message.data).toString('utf8'),
      };
      await publishJson(connection.js, { subject: deadLetterSubject, payload: letter, msgId: `${durable}:${stream}:${message.seq}:dead` });
    }
  }

}

function toInputMessage(msg: JsMsg): InputMessage {
  return { subject: msg.subject, seq: msg.seq, data: msg.data, deliveryCount: msg.info.deliveryCount, control: Boolean(msg.headers?.get(CONTROL_HEADER)) };
}
