import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { TSchema } from '@sinclair/typebox';
import { compileValidator, type Validator } from '@sightline/contracts';
import type { AsyncPublisher, StoredAck } from '../async-publisher';
import type { JetStreamConnection } from '../connection';
import { deadLetterOf, type DeadLetter } from '../dead-letter';
import { encodeJson } from '../publisher';
import type { Emit, KeyedStepContext, Stage, StepContext } from '../stage/stage';
import type { ChangelogStore, ChangelogToken } from './changelog-store';
import type { Position } from './checkpoint-types';
import { decodeInput } from './input-decoding';
import { KeyedRecords } from './keyed-records';
import { createPartitionDurable } from './partition-durable';
import { CONTROL_HEADER, publishTick } from './partition-ticks';
import { DEFAULT_TUNING, type ProcessorHooks, type ProcessorLogger, type ProcessorTuning } from './processor-options';
import type { StepFailures } from './step-failure';
import { natsClients } from '../port/nats-clients';

export interface PartitionProcessorOptions<T extends TSchema, S> {
  readonly connection: JetStreamConnection;
  readonly stage: Stage<T, S>;
  readonly partition: number;
  /** Unique per ownership of the partition and run of it; names this run's durable consumer. */
  readonly durable: string;
  readonly store: ChangelogStore<S>;
  /** Publishes outputs and dead letters (shared by the partitions of a connection). */
  readonly publisher: AsyncPublisher;
  /** Failed step runs of this partition, kept across its runs. */
  readonly failures: StepFailures;
  /** False once the lease may have been lost: checkpoints stop before they write. */
  readonly leaseIsFresh: () => boolean;
  readonly logger: ProcessorLogger;
  readonly hooks?: ProcessorHooks;
}

/** Thrown when the lease looked stale at a checkpoint. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

interface InputPosition {
  readonly stream: string;
  readonly streamSeq: number;
  readonly subject: string;
}

/**
 * Runs one partition of a stage for its owner: restores keyed state and timers from the last
 * checkpoint, reads the partition from the position after it through a durable consumer of its
 * own (acknowledge-all), applies inputs in order, publishes outputs without waiting, and at each
 * checkpoint waits for those outputs, saves changed keys and the position, and acknowledges
 * everything up to it with one ack. A step that throws ends the run (`StepFailedError`): its
 * changes, and those since the checkpoint, are never applied, and the next run replays them.
 */
export class PartitionProcessor<T extends TSchema, S> {
  private readonly validator: Validator<T>;
  private readonly records: KeyedRecords<S>;
  private position: Position = { seq: 0, now: 0 };
  private token: ChangelogToken = { deltaSeq: 0, positionSeq: 0, snapshotSeq: 0, deltasSinceSnapshot: 0 };
  private now = 0;
  private lastSeq = 0;
  private lastMsg: JsMsg | undefined;
  private sinceCheckpoint = 0;
  private lastCheckpointAt = 0;
  private pending: Promise<StoredAck | void>[] = [];
  private publishError: unknown;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private idleWork: Promise<void> | undefined;
  private busy = false;
  private stopping = false;
  private failure: unknown;
  private lastMessageWallClock = Date.now();
  private intervals: NodeJS.Timeout[] = [];
  private readonly tuning: Required<ProcessorTuning>;
  private readonly group: string;

  constructor(private readonly options: PartitionProcessorOptions<T, S>) {
    const { stage } = options;
    this.validator = compileValidator(stage.schema);
    this.group = stage.name;
    this.records = new KeyedRecords<S>(stage.kind === 'keyed' ? stage.codec : undefined);
    this.tuning = { ...DEFAULT_TUNING, ...stage.tuning };
  }

  get durable(): string {
    return this.options.durable;
  }

  /** Resolves when the processor has stopped: undefined after `stop`, the error after a failure. */
  done: Promise<unknown> = Promise.resolve();

  async start(): Promise<void> {
    const { store, partition, stage, connection } = this.options;
    const checkpoint = await store.load(partition);
    this.records.restore(checkpoint.records);
    this.position = checkpoint.position;
    this.token = checkpoint.token;
    this.now = checkpoint.position.now;
    this.lastSeq = checkpoint.position.seq;
    await createPartitionDurable(natsClients(connection).jsm, {
      input: stage.input,
      partition,
      durable: this.durable,
      after: this.position.seq,
      ackWaitMs: this.tuning.ackWaitMs,
      maxAckPending: Math.max(this.tuning.checkpointEveryMessages * 2, this.tuning.pullBatch * 2),
    });
    const consumer = await natsClients(connection).js.consumers.get(stage.input.stream, this.durable);
    this.messages = await consumer.consume({ max_messages: this.tuning.pullBatch, abort_on_missing_resource: true });
    this.lastCheckpointAt = Date.now();
    this.loop = this.run(this.messages);
    this.done = this.loop.then(() => this.failure);
    this.intervals.push(setInterval(() => this.onIdleTimer(), Math.max(50, this.tuning.checkpointIntervalMs)));
    if (stage.kind === 'keyed' && stage.onTimer && this.tuning.tickIntervalMs > 0) {
      this.intervals.push(setInterval(() => this.publishTickIfSilent(), this.tuning.tickIntervalMs));
    }
    this.options.logger.info({ durable: this.durable, partition, resumeAfter: this.position.seq, keys: this.records.size }, 'partition restored from checkpoint');
  }

  /** Graceful: stop pulling, finish the message in hand, checkpoint, return. */
  async stop(): Promise<void> {
    if (this.stopping) return this.loop?.then(() => undefined);
    this.stopping = true;
    this.clearIntervals();
    this.messages?.stop();
    await this.loop;
    await this.idleWork;
    if (this.failure === undefined) await this.checkpoint();
  }

  /** Immediate: stop without a checkpoint (the lease is gone; someone else resumes). */
  abort(): void {
    this.stopping = true;
    this.clearIntervals();
    this.messages?.stop();
  }

  get processedSeq(): number {
    return this.lastSeq;
  }

  get checkpointedSeq(): number {
    return this.position.seq;
  }

  private clearIntervals(): void {
    for (const interval of this.intervals) clearInterval(interval);
    this.intervals = [];
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    try {
      let sinceYield = 0;
      for await (const msg of messages) {
        if (this.idleWork) await this.idleWork;
        this.busy = true;
        await this.handle(msg);
        if (this.checkpointDue()) await this.checkpoint();
        this.busy = false;
        if (this.stopping) break;
        // A buffered backlog resolves in microtasks only: let timers (lease renewal) run.
        if (++sinceYield >= 256) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (!this.stopping) throw new Error(`consumer ${this.durable} ended unexpectedly`);
    } catch (error) {
      this.failure = error;
      this.clearIntervals();
      messages.stop();
      const fields = { err: error, durable: this.durable };
      if ((error as Error).name === 'StepFailedError') this.options.logger.warn(fields, 'step failed; the partition resumes from its checkpoint');
      else this.options.logger.error(fields, 'partition processing failed');
    }
  }

  private checkpointDue(): boolean {
    return (
      this.sinceCheckpoint >= this.tuning.checkpointEveryMessages ||
      this.pending.length >= this.tuning.maxPendingPublishes ||
      Date.now() - this.lastCheckpointAt >= this.tuning.checkpointIntervalMs
    );
  }

  /** While the partition is quiet, the last messages still get checkpointed. */
  private onIdleTimer(): void {
    if (this.busy || this.idleWork || this.stopping || this.failure !== undefined) return;
    if (this.lastSeq === this.position.seq && this.pending.length === 0) return;
    this.idleWork = this.checkpoint()
      .catch((error: unknown) => {
        this.failure = error;
        this.abort();
        this.options.logger.error({ err: error, durable: this.durable }, 'checkpoint failed');
      })
      .finally(() => {
        this.idleWork = undefined;
      });
  }

  private async handle(msg: JsMsg): Promise<void> {
    const seq = msg.info.streamSequence;
    if (seq <= this.lastSeq) {
      this.options.hooks?.onProcessed?.('skipped', 1);
      return;
    }
    this.lastMsg = msg;
    this.lastSeq = seq;
    this.sinceCheckpoint++;
    this.lastMessageWallClock = Date.now();
    this.now = Math.max(this.now, Math.floor(msg.info.timestampNanos / 1e6));
    const position: InputPosition = { stream: msg.info.stream, streamSeq: seq, subject: msg.subject };
    if (this.records.timers.size > 0) await this.fireTimers(position);
    if (msg.headers?.get(CONTROL_HEADER)) return;

    const decoded = decodeInput(msg.string(), this.validator);
    if (!decoded.ok) return this.deadLetter(msg, decoded.reason, decoded.error);
    const { stage, failures } = this.options;
    if (!failures.none) {
      const exhausted = failures.exhausted(`m:${seq}`, this.tuning.maxAttempts);
      if (exhausted !== undefined) return this.deadLetter(msg, 'handler_failed', exhausted);
    }
    try {
      if (stage.kind === 'keyed') {
        const key = stage.keyOf(decoded.value);
        const record = this.records.get(key);
        if (record && record.seq >= seq) {
          this.options.hooks?.onProcessed?.('skipped', 1);
          return;
        }
        const result = stage.step(record?.state, decoded.value, this.keyedContext(position, key, record?.timer));
        this.records.apply(key, seq, result);
        if (result.outputs) this.publishAll(result.outputs, `${seq}:m`);
      } else {
        this.publishAll(stage.step(decoded.value, this.context(position)), `${seq}:m`);
      }
    } catch (error) {
      throw failures.record(`m:${seq}`, error);
    }
    if (!failures.none) failures.succeeded(`m:${seq}`);
    this.options.hooks?.onProcessed?.('ok', 1);
  }

  private context(position: InputPosition): StepContext {
    return { now: this.now, partition: this.options.partition, stream: position.stream, streamSeq: position.streamSeq, subject: position.subject };
  }

  private keyedContext(position: InputPosition, key: string, timer: number | undefined): KeyedStepContext {
    return { now: this.now, partition: this.options.partition, stream: position.stream, streamSeq: position.streamSeq, subject: position.subject, key, timer };
  }

  /**
   * Timers due by partition time fire before the message that moved it there. A timer's change
   * is recorded just below that message (streamSeq - 0.5), so a message of the same key is not
   * mistaken for one already applied, while a replay still knows the timer's change is in the state.
   */
  private async fireTimers(position: InputPosition): Promise<void> {
    const { stage, failures, logger } = this.options;
    if (stage.kind !== 'keyed') return;
    for (let due = this.records.timers.pollDue(this.now); due; due = this.records.timers.pollDue(this.now)) {
      const record = this.records.get(due.key);
      if (!record || record.seq >= position.streamSeq) continue;
      const seq = position.streamSeq - 0.5;
      const call = `t:${position.streamSeq}:${due.key}`;
      const exhausted = failures.exhausted(call, this.tuning.maxAttempts);
      if (exhausted !== undefined || !stage.onTimer) {
        if (exhausted !== undefined) logger.error({ durable: this.durable, key: due.key, error: exhausted.slice(0, 500) }, 'timer step failed; timer dropped');
        this.records.apply(due.key, seq, { state: record.state });
        continue;
      }
      try {
        const result = stage.onTimer(record.state, this.keyedContext(position, due.key, due.at));
        this.records.apply(due.key, seq, result);
        if (result.outputs) this.publishAll(result.outputs, `${position.streamSeq}:t:${due.key}`);
      } catch (error) {
        throw failures.record(call, error);
      }
      failures.succeeded(call);
    }
  }

  private publishAll(outputs: readonly Emit[], idPrefix: string): void {
    if (outputs.length === 0) return;
    const prefix = `${this.group}:${this.options.stage.input.stream}:${idPrefix}`;
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs[i]!;
      this.publish(output.subject, output.payload, `${prefix}:${i}`);
    }
  }

  private publish(subject: string, payload: unknown, msgID: string): void {
    this.pending.push(
      this.options.publisher.publish(subject, encodeJson(payload), msgID).catch((error: unknown) => {
        this.publishError ??= error;
      }),
    );
  }

  private deadLetter(msg: JsMsg, reason: DeadLetter['reason'], error: string): void {
    const letter = deadLetterOf(msg, { consumer: this.group, subject: this.options.stage.deadLetterSubject, reason, error });
    this.options.logger.warn({ durable: this.durable, streamSeq: msg.info.streamSequence, reason, error: error.slice(0, 500) }, 'message dead-lettered');
    this.publish(letter.subject, letter.payload, letter.msgId);
    this.options.hooks?.onProcessed?.('dead', 1);
  }

  private async checkpoint(): Promise<void> {
    if (this.lastSeq === this.position.seq && this.pending.length === 0 && this.records.changed === 0) return;
    const started = performance.now();
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
    if (this.publishError !== undefined) throw this.publishError;
    if (!this.options.leaseIsFresh()) throw new LeaseLostError(`lease of partition ${this.options.partition} may be lost`);
    const changed = this.records.pendingSave();
    const position = { seq: this.lastSeq, now: this.now };
    this.token = await this.options.store.save(this.options.partition, changed, position, this.token);
    this.records.saved();
    this.position = position;
    this.sinceCheckpoint = 0;
    this.lastCheckpointAt = Date.now();
    this.lastMsg?.ack();
    this.options.hooks?.onCheckpoint?.(performance.now() - started, changed.size);
  }

  private publishTickIfSilent(): void {
    const interval = this.tuning.tickIntervalMs;
    const wall = Date.now();
    if (this.stopping || wall - this.lastMessageWallClock < interval) return;
    publishTick(natsClients(this.options.connection).js, this.options.stage.input.tickSubject(this.options.partition), interval, wall, this.options.logger);
  }
}
