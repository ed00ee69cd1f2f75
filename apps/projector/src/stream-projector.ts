import { DurableWorker, type Delivery, type JetStreamConnection } from '@sightline/messaging';
import { planBatch, type Projection, type ReadModelStore } from '@sightline/read-models';
import type { BackoffPolicy, Logger } from '@sightline/runtime';
import type { Static, TSchema } from '@sinclair/typebox';
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
  /** The durable's ack wait, ms; the batch being retried is kept ours meanwhile. */
  readonly ackWaitMs: number;
  readonly retry: BackoffPolicy;
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
 * Projects one input stream through a durable worker: each batch is written with one bulk
 * write per collection and acknowledged only once written. A failed write is retried, with
 * capped exponential backoff, for as long as it fails: the stream keeps the messages, so the
 * projector catches up when the store returns, and the real-time path never waits for it.
 */
export class StreamProjector {
  private readonly worker: DurableWorker<TSchema>;
  private failedAttempts = 0;
  private lastError: string | null = null;
  private lastWriteAt: Date | null = null;
  private lag: number | null = null;

  constructor(private readonly options: StreamProjectorOptions) {
    const { connection, projection, stream, filterSubject, durable, deadLetterSubject, ackWaitMs, retry, logger, metrics } = options;
    this.worker = new DurableWorker({
      connection,
      stream,
      filterSubject,
      reading: { kind: 'durable', name: durable, deadLetterSubject, ackWaitMs },
      schema: projection.schema,
      handle: (batch) => this.write(batch),
      batchSize: options.batchSize ?? 500,
      fetchExpiresMs: options.fetchExpiresMs,
      backoff: retry,
      logger,
      hooks: {
        onHeld: ({ attempt, error }) => {
          this.failedAttempts = attempt;
          this.lastError = error.message;
          metrics.writeFailures.inc({ input: this.input });
          metrics.mongoUp.set(0);
        },
        onHandled: ({ invalid, control, pending }) => {
          metrics.invalid.inc({ input: this.input }, invalid);
          metrics.ignored.inc({ input: this.input }, control);
          this.setLag(pending);
        },
      },
    });
  }

  get input(): string {
    return this.options.projection.input;
  }

  /** Provisions the durable consumer and, when there is a store, starts projecting. */
  async start(): Promise<void> {
    if (this.options.store) await this.worker.start();
    else await this.worker.provision();
  }

  /** Stops after the batch in hand; a batch not yet written is handed back for redelivery. */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** Reads the consumer's backlog (pending plus unacknowledged) into the lag gauge. */
  async refreshLag(): Promise<void> {
    this.setLag(await this.worker.backlog());
  }

  status(): StreamProjectorStatus {
    return { lag: this.lag, failedAttempts: this.failedAttempts, lastError: this.lastError, lastWriteAt: this.lastWriteAt?.toISOString() ?? null };
  }

  private async write(batch: readonly Delivery<Static<TSchema>>[]): Promise<void> {
    const { projection, metrics } = this.options;
    const plan = planBatch(projection, batch.map((d) => d.value));
    const outcome = plan.upserts.length > 0 ? await this.options.store!.write(plan.upserts) : new Map();
    metrics.recordOutcome(outcome);
    metrics.mongoUp.set(1);
    metrics.ignored.inc({ input: this.input }, plan.ignored);
    this.failedAttempts = 0;
    this.lastError = null;
    this.lastWriteAt = new Date();
  }

  private setLag(lag: number): void {
    this.lag = lag;
    this.options.metrics.lag.set({ input: this.input }, lag);
  }
}
