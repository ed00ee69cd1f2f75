import type { JsMsg } from '@nats-io/jetstream';
import type { Static, TSchema } from '@sinclair/typebox';
import { compileValidator, type Validator } from '@sightline/contracts';
import { backoffCeilingMs, InterruptibleSleep, type BackoffPolicy } from '@sightline/runtime';
import { deadLetterOf } from '../dead-letter';
import { publishJson } from '../publisher';
import { sortBatch, type SortedBatch } from './fetched-batch';
import { HeldMessages } from './held-messages';
import { workerSource, type WorkerSource } from './worker-source';
import {
  DEFAULT_ACK_WAIT_MS,
  DEFAULT_BACKOFF,
  DEFAULT_BATCH_SIZE,
  DEFAULT_FETCH_EXPIRES_MS,
  type DurableWorkerOptions,
} from './worker-options';

/** Logs the first failure of a run of failures, then every tenth. */
const LOG_EVERY_FAILURES = 10;

/**
 * An at-least-once, non-partitioned pull consumer: fetches batches in stream order, skips
 * control messages, dead-letters (durable) or skips (replay) payloads that fail the schema, and
 * hands the valid ones to `handle`. A batch is acknowledged only once handled; while `handle`
 * throws, the batch is held (never redelivered to another instance) and retried with backoff,
 * so a sink that is down delays the consumer and loses nothing.
 */
export class DurableWorker<T extends TSchema> {
  private readonly validator: Validator<T>;
  private readonly source: WorkerSource;
  private readonly sleeper = new InterruptibleSleep();
  private readonly backoff: BackoffPolicy;
  private running = false;
  private loop: Promise<void> | undefined;
  private isCaughtUp = false;

  constructor(private readonly options: DurableWorkerOptions<T>) {
    this.validator = compileValidator(options.schema);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.source = workerSource({ ...options, batchSize: this.batchSize }, options.reading);
  }

  /**
   * True once the worker has read everything the stream held for it when it started: what
   * readiness checks of in-memory replays wait for.
   */
  get caughtUp(): boolean {
    return this.isCaughtUp;
  }

  /** For `/readyz` (a ReadinessCheck named `name`): fails until the worker has caught up. */
  readiness(name: string): { readonly name: string; check(): void } {
    return {
      name,
      check: () => {
        if (!this.isCaughtUp) throw new Error(`still reading stream ${this.options.stream}`);
      },
    };
  }

  /** Creates the durable (or nothing, for a replay) without reading: e.g. to report lag only. */
  provision(): Promise<void> {
    return this.source.provision();
  }

  /** Provisions, then reads until `stop`. */
  async start(): Promise<void> {
    if (this.running) throw new Error('DurableWorker already started; stop it before starting it again');
    await this.source.provision();
    if ((await this.source.pendingAtStart()) === 0) this.isCaughtUp = true;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops after the batch in hand: a batch being handled is finished and acknowledged; a batch
   * held after a failure, or fetched and not yet handled, is handed back for redelivery.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wake();
    await this.loop;
  }

  /** Messages not yet handled (on a durable: not yet acknowledged), as the server counts them. */
  backlog(): Promise<number> {
    return this.source.backlog();
  }

  private get batchSize(): number {
    return this.options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  private get consumerName(): string {
    const { reading, stream } = this.options;
    return reading.kind === 'durable' ? reading.name : `replay of ${stream}`;
  }

  private async run(): Promise<void> {
    const { logger, fetchExpiresMs = DEFAULT_FETCH_EXPIRES_MS } = this.options;
    let fetchFailures = 0;
    while (this.running) {
      let messages: JsMsg[];
      try {
        messages = await this.source.fetch(this.batchSize, fetchExpiresMs);
        fetchFailures = 0;
      } catch (error) {
        fetchFailures++;
        if (fetchFailures === 1 || fetchFailures % LOG_EVERY_FAILURES === 0) {
          logger.warn({ consumer: this.consumerName, failures: fetchFailures, err: (error as Error).message }, 'cannot fetch from the stream; retrying');
        }
        await this.pause(backoffCeilingMs(fetchFailures, this.backoff));
        continue;
      }
      if (messages.length === 0) {
        this.isCaughtUp = true;
        continue;
      }
      if (!(await this.process(messages))) break;
    }
    logger.info({ consumer: this.consumerName, stream: this.options.stream }, 'worker stopped');
  }

  /** Handles one fetched batch until done (true) or the worker stops first (false). */
  private async process(messages: JsMsg[]): Promise<boolean> {
    const { reading } = this.options;
    const held = reading.kind === 'durable' ? new HeldMessages(messages, reading.ackWaitMs ?? DEFAULT_ACK_WAIT_MS) : undefined;
    const batch = sortBatch(messages, this.validator);
    const done = await this.untilHandled(batch, messages.length);
    if (!done) {
      held?.nak();
      return false;
    }
    held?.ack();
    const pending = messages.at(-1)!.info.pending;
    if (pending === 0) this.isCaughtUp = true;
    this.options.hooks?.onHandled?.({ handled: batch.deliveries.length, invalid: batch.invalid.length, control: batch.control, pending });
    return true;
  }

  private async untilHandled(batch: SortedBatch<Static<T>, JsMsg>, size: number): Promise<boolean> {
    const { logger, hooks } = this.options;
    let invalidSettled = false;
    for (let attempt = 1; this.running; attempt++) {
      try {
        if (!invalidSettled) await this.settleInvalid(batch.invalid);
        invalidSettled = true;
        if (batch.deliveries.length > 0) await this.options.handle(batch.deliveries);
        if (attempt > 1) logger.info({ consumer: this.consumerName, attempts: attempt }, 'batch handled after failed attempts');
        return true;
      } catch (caught) {
        const error = caught instanceof Error ? caught : new Error(String(caught));
        const delayMs = backoffCeilingMs(attempt, this.backoff);
        if (attempt === 1 || attempt % LOG_EVERY_FAILURES === 0) {
          logger.warn({ consumer: this.consumerName, attempt, delayMs, messages: size, err: error.message }, 'batch failed; holding it and retrying');
        }
        hooks?.onHeld?.({ attempt, delayMs, error, messages: size });
        await this.pause(delayMs);
      }
    }
    return false;
  }

  /** Sleeps unless stopping; `stop` cuts the sleep short. */
  private async pause(ms: number): Promise<void> {
    if (this.running) await this.sleeper.sleep(ms);
  }

  /** Dead letters of a durable, each stored before its message is acknowledged; a replay logs and skips. */
  private async settleInvalid(invalid: SortedBatch<Static<T>, JsMsg>['invalid']): Promise<void> {
    const { reading, connection, logger } = this.options;
    for (const { msg, error } of invalid) {
      const fields = { consumer: this.consumerName, streamSeq: msg.info.streamSequence, subject: msg.subject, err: error.slice(0, 500) };
      if (reading.kind === 'replay') {
        logger.warn(fields, 'invalid message skipped');
        continue;
      }
      const letter = deadLetterOf(msg, { consumer: reading.name, subject: reading.deadLetterSubject, reason: 'invalid_payload', error });
      await publishJson(connection, letter);
      logger.warn(fields, 'invalid message dead-lettered');
    }
  }
}
