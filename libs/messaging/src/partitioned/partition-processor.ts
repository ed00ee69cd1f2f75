import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, nanos } from '@nats-io/transport-node';
import type { Static, TSchema } from '@sinclair/typebox';
import { compileValidator, formatIssues, type PartitionedInput, type Validator } from '@sightline/contracts';
import type { AsyncPublisher, StoredAck } from '../async-publisher';
import type { JetStreamConnection } from '../connection';
import type { DeadLetter } from '../dead-letter';
import type { PartitionHandler } from '../handler';
import { encodeJson } from '../publisher';
import { retryDelayMs } from '../retry-policy';
import type { ChangelogStore, ChangelogToken } from './changelog-store';
import type { KeyRecord, Position } from './checkpoint-types';
import { processingContext, stageFor, type StagedChanges } from './processing-context';
import { TimerQueue } from './timer-queue';

/** How long the durable of a previous owner lingers before the server deletes it. */
const STALE_DURABLE_MS = 5 * 60_000;

/** Header that marks control messages (ticks) on data subjects. */
export const CONTROL_HEADER = 'Sightline-Control';

export interface ProcessorLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ProcessorTuning {
  /** Checkpoint at least this often while messages flow, ms. Default 500. */
  readonly checkpointIntervalMs?: number;
  /** Checkpoint after this many messages. Default 10000. */
  readonly checkpointEveryMessages?: number;
  /** Outputs in flight before processing waits for a checkpoint. Default 5000. */
  readonly maxPendingPublishes?: number;
  /** Messages buffered from the server. Default 1000. */
  readonly pullBatch?: number;
  /** Attempts of a failing handler call before the message is dead-lettered. Default 3. */
  readonly maxAttempts?: number;
  /** Publish a tick when the partition has been silent this long, ms (handlers with timers). Default 1000. */
  readonly tickIntervalMs?: number;
  /** Server ack wait of the consumer, ms. Default 30000. */
  readonly ackWaitMs?: number;
}

export interface ProcessorHooks {
  onProcessed?(outcome: 'ok' | 'dead' | 'skipped', count: number): void;
  onCheckpoint?(durationMs: number, keys: number): void;
}

export interface PartitionProcessorOptions<T extends TSchema, S> {
  readonly connection: JetStreamConnection;
  /** Consumer group (the service); names durables, outputs and state. */
  readonly group: string;
  readonly input: PartitionedInput;
  readonly partition: number;
  /** Unique per ownership of the partition; names this run's durable consumer. */
  readonly epoch: number;
  readonly schema: T;
  readonly handler: PartitionHandler<Static<T>, S>;
  readonly store: ChangelogStore<S>;
  /** Publishes outputs and dead letters (shared by the partitions of a connection). */
  readonly publisher: AsyncPublisher;
  readonly deadLetterSubject: string;
  /** False once the lease may have been lost: checkpoints stop before they write. */
  readonly leaseIsFresh: () => boolean;
  readonly logger: ProcessorLogger;
  readonly tuning?: ProcessorTuning;
  readonly hooks?: ProcessorHooks;
}

/** Thrown when the lease looked stale at a checkpoint. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * Processes one partition for its owner: restores keyed state and timers from the last
 * checkpoint, reads the partition from the position after it through a durable consumer of
 * its own (acknowledge-all), applies messages in order, publishes outputs without waiting,
 * and at each checkpoint waits for those outputs, saves changed keys and the position, and
 * acknowledges everything up to it with one ack.
 */
export class PartitionProcessor<T extends TSchema, S> {
  private readonly validator: Validator<T>;
  private readonly timers = new TimerQueue();
  private records = new Map<string, KeyRecord<S>>();
  private readonly dirty = new Map<string, KeyRecord<S>>();
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
  readonly durable: string;

  constructor(private readonly options: PartitionProcessorOptions<T, S>) {
    this.validator = compileValidator(options.schema);
    this.durable = `${options.group}-p${options.partition}-e${options.epoch}`;
    this.tuning = {
      checkpointIntervalMs: 500,
      checkpointEveryMessages: 10000,
      maxPendingPublishes: 5000,
      pullBatch: 1000,
      maxAttempts: 3,
      tickIntervalMs: 1000,
      ackWaitMs: 30_000,
      ...options.tuning,
    };
  }

  /** Resolves when the processor has stopped: undefined after `stop`, the error after a failure. */
  done: Promise<unknown> = Promise.resolve();

  async start(): Promise<void> {
    const { store, partition } = this.options;
    const checkpoint = await store.load(partition);
    this.records = checkpoint.records;
    this.position = checkpoint.position;
    this.token = checkpoint.token;
    this.now = checkpoint.position.now;
    this.lastSeq = checkpoint.position.seq;
    for (const [key, record] of this.records) if (record.timer !== undefined) this.timers.set(key, record.timer);
    await this.createConsumer();
    const consumer = await this.options.connection.js.consumers.get(this.options.input.stream, this.durable);
    this.messages = await consumer.consume({ max_messages: this.tuning.pullBatch, abort_on_missing_resource: true });
    this.lastCheckpointAt = Date.now();
    this.loop = this.run(this.messages);
    this.done = this.loop.then(() => this.failure);
    this.intervals.push(setInterval(() => this.onIdleTimer(), Math.max(50, this.tuning.checkpointIntervalMs)));
    if (this.options.handler.onTimer && this.tuning.tickIntervalMs > 0) {
      this.intervals.push(setInterval(() => this.publishTickIfSilent(), this.tuning.tickIntervalMs));
    }
    this.options.logger.info(
      { durable: this.durable, partition, resumeAfter: this.position.seq, keys: this.records.size },
      'partition restored from checkpoint',
    );
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

  /**
   * A durable of its own for this ownership, starting right after the checkpoint. Durables of
   * earlier owners are left to expire (`inactive_threshold`): listing them would ask the server
   * for every consumer's pending count, which NATS 2.9 then keeps recomputing on delivery and
   * slows the partition by an order of magnitude.
   */
  private async createConsumer(): Promise<void> {
    const from = this.position.seq;
    await this.options.connection.jsm.consumers.add(this.options.input.stream, {
      durable_name: this.durable,
      filter_subject: this.options.input.filter(this.options.partition),
      ack_policy: AckPolicy.All,
      ...(from > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from + 1 } : { deliver_policy: DeliverPolicy.All }),
      ack_wait: nanos(this.tuning.ackWaitMs),
      max_ack_pending: Math.max(this.tuning.checkpointEveryMessages * 2, this.tuning.pullBatch * 2),
      inactive_threshold: nanos(STALE_DURABLE_MS),
    });
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
      this.options.logger.error({ err: error, durable: this.durable }, 'partition processing failed');
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
    const position = { stream: msg.info.stream, streamSeq: seq, subject: msg.subject, partition: this.options.partition };
    if (this.timers.size > 0) await this.fireTimers(position);
    if (msg.headers?.get(CONTROL_HEADER)) return;

    let payload: unknown;
    try {
      payload = JSON.parse(msg.string());
    } catch (error) {
      return this.deadLetter(msg, seq, 'invalid_payload', `not JSON: ${(error as Error).message}`);
    }
    const checked = this.validator.validate(payload);
    if (!checked.ok) return this.deadLetter(msg, seq, 'invalid_payload', formatIssues(checked.issues));

    const { handler } = this.options;
    const key = handler.keyOf?.(checked.value);
    const record = key === undefined ? undefined : this.records.get(key);
    if (record && record.seq >= seq) {
      this.options.hooks?.onProcessed?.('skipped', 1);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const staged = stageFor<S>(record?.state, record?.timer);
      try {
        const result = handler.onMessage(checked.value, processingContext(position, this.now, key, staged));
        if (result) await result;
        this.apply(key, seq, staged, `${seq}:m`);
        this.options.hooks?.onProcessed?.('ok', 1);
        return;
      } catch (error) {
        if (attempt >= this.tuning.maxAttempts) {
          return this.deadLetter(msg, seq, 'handler_failed', String((error as Error).stack ?? error));
        }
        this.options.logger.warn({ err: error, durable: this.durable, streamSeq: seq, attempt }, 'handler failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, 100, 2000)));
      }
    }
  }

  private async fireTimers(position: { stream: string; streamSeq: number; subject: string; partition: number }): Promise<void> {
    const onTimer = this.options.handler.onTimer;
    for (let due = this.timers.pollDue(this.now); due; due = this.timers.pollDue(this.now)) {
      const record = this.records.get(due.key);
      if (!record || record.seq >= position.streamSeq || !onTimer) continue;
      const staged = stageFor<S>(record.state, undefined);
      try {
        const result = onTimer(processingContext(position, this.now, due.key, staged));
        if (result) await result;
      } catch (error) {
        this.options.logger.error({ err: error, durable: this.durable, key: due.key }, 'timer handler failed; timer dropped');
        continue;
      }
      staged.timerChanged = true;
      // The timer fires before the message at `streamSeq` is handled: its change is recorded just
      // below that message (streamSeq - 0.5), so a message of the same key is not mistaken for
      // one already applied, while a replay still knows the timer's change is in the state.
      this.apply(due.key, position.streamSeq - 0.5, staged, `${position.streamSeq}:t:${due.key}`);
    }
  }

  /** Applies a successful call's changes and publishes its outputs. */
  private apply(key: string | undefined, seq: number, staged: StagedChanges<S>, idPrefix: string): void {
    if (key !== undefined && (staged.stateChanged || staged.timerChanged)) {
      const record: KeyRecord<S> = { seq, ...(staged.state !== undefined ? { state: staged.state } : {}), ...(staged.timer !== undefined ? { timer: staged.timer } : {}) };
      this.records.set(key, record);
      this.dirty.set(key, record);
      if (staged.timer === undefined) this.timers.clear(key);
      else this.timers.set(key, staged.timer);
    }
    staged.emits.forEach(([subject, payload], index) => {
      this.publish(subject, payload, `${this.options.group}:${this.options.input.stream}:${idPrefix}:${index}`);
    });
  }

  private publish(subject: string, payload: unknown, msgID: string): void {
    this.pending.push(
      this.options.publisher.publish(subject, encodeJson(payload), msgID).catch((error: unknown) => {
        this.publishError ??= error;
      }),
    );
  }

  private deadLetter(msg: JsMsg, seq: number, reason: DeadLetter['reason'], error: string): void {
    const letter: DeadLetter = {
      v: 1,
      consumer: this.options.group,
      stream: msg.info.stream,
      stream_seq: seq,
      subject: msg.subject,
      delivery_count: msg.info.deliveryCount,
      reason,
      error: error.slice(0, 4000),
      payload: msg.string(),
    };
    this.options.logger.warn({ durable: this.durable, streamSeq: seq, reason, error: error.slice(0, 500) }, 'message dead-lettered');
    this.publish(this.options.deadLetterSubject, letter, `${this.options.group}:${msg.info.stream}:${seq}:dead`);
    this.options.hooks?.onProcessed?.('dead', 1);
  }

  private async checkpoint(): Promise<void> {
    if (this.lastSeq === this.position.seq && this.pending.length === 0 && this.dirty.size === 0) return;
    const started = performance.now();
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
    if (this.publishError !== undefined) throw this.publishError;
    if (!this.options.leaseIsFresh()) throw new LeaseLostError(`lease of partition ${this.options.partition} may be lost`);
    const changed = new Map(this.dirty);
    const position = { seq: this.lastSeq, now: this.now };
    this.token = await this.options.store.save(this.options.partition, changed, position, this.token);
    for (const [key, record] of changed) {
      if (this.dirty.get(key) === record) this.dirty.delete(key);
      if (record.state === undefined && record.timer === undefined && this.records.get(key) === record) this.records.delete(key);
    }
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
    const subject = this.options.input.tickSubject(this.options.partition);
    const headers = natsHeaders();
    headers.set(CONTROL_HEADER, 'tick');
    this.options.connection.js
      .publish(subject, new Uint8Array(0), { msgID: `tick:${subject}:${Math.floor(wall / interval)}`, headers })
      .catch((error: unknown) => this.options.logger.warn({ err: error, subject }, 'tick not published'));
  }
}
