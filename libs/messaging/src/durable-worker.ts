import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Static, TSchema } from '@sinclair/typebox';
import { compileValidator, formatIssues, type Validator } from '@sightline/contracts';
import type { DeadLetter } from './dead-letter';
import { outputMsgId, type HandlerContext, type MessageHandler, type MessagePosition } from './handler';
import { publishAll, publishJson, type OutboundMessage } from './publisher';
import { redeliveryDelayMs } from './retry-policy';

/** The subset of a structured logger the worker writes to (pino's signature). */
export interface WorkerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DurableWorkerOptions<T extends TSchema> {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly durable: string;
  /** Schema every payload must match; others are dead-lettered, not retried. */
  readonly schema: T;
  readonly handler: MessageHandler<Static<T>>;
  /** Subject for messages given up on, with the reason. */
  readonly deadLetterSubject: string;
  /** Attempts before a failing message is dead-lettered. Default 5; keep below the consumer's max_deliver. */
  readonly maxAttempts?: number;
  /** Messages pulled per request; bounds buffering. Default 256. */
  readonly pullBatch?: number;
  readonly logger: WorkerLogger;
  /** Called after every processed message, for metrics. */
  readonly onProcessed?: (outcome: 'ok' | 'retry' | 'dead', durationMs: number) => void;
}

/**
 * Pulls from one durable consumer and processes messages one at a time, in stream order.
 * Per message: validate, run the handler, publish its outputs with deterministic ids and wait
 * for JetStream to store them, then acknowledge. A crash at any point leads to a redelivery
 * whose outputs the output streams drop as duplicates: each output is stored exactly once.
 */
export class DurableWorker<T extends TSchema> {
  private readonly validator: Validator<T>;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: DurableWorkerOptions<T>) {
    this.validator = compileValidator(options.schema);
  }

  async start(): Promise<void> {
    const consumer = await this.options.js.consumers.get(this.options.stream, this.options.durable);
    this.messages = await consumer.consume({ max_messages: this.options.pullBatch ?? 256 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        await this.process(msg);
        if (this.stopping) break;
      }
    })().catch((error: unknown) => {
      this.options.logger.error({ err: error, durable: this.options.durable }, 'consumer loop failed');
    });
  }

  /** Stops pulling, lets the message in hand finish, and returns once nothing is in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.messages?.stop();
    await this.loop;
  }

  private async process(msg: JsMsg): Promise<void> {
    const started = performance.now();
    const position: MessagePosition = {
      stream: msg.info.stream,
      streamSeq: msg.info.streamSequence,
      subject: msg.subject,
      deliveryCount: msg.info.deliveryCount,
    };
    let payload: unknown;
    try {
      payload = JSON.parse(msg.string());
    } catch (error) {
      await this.deadLetter(msg, position, 'invalid_payload', `not JSON: ${(error as Error).message}`);
      return this.done('dead', started);
    }
    const checked = this.validator.validate(payload);
    if (!checked.ok) {
      await this.deadLetter(msg, position, 'invalid_payload', formatIssues(checked.issues));
      return this.done('dead', started);
    }
    const outputs: OutboundMessage[] = [];
    const commitActions: (() => Promise<void> | void)[] = [];
    const context: HandlerContext = {
      ...position,
      emit: (subject, out) => {
        outputs.push({ subject, payload: out, msgId: outputMsgId(this.options.durable, position, outputs.length) });
      },
      onCommit: (action) => {
        commitActions.push(action);
      },
    };
    try {
      await this.options.handler(checked.value, context);
      await publishAll(this.options.js, outputs);
      for (const action of commitActions) await action();
      msg.ack();
      this.done('ok', started);
    } catch (error) {
      const maxAttempts = this.options.maxAttempts ?? 5;
      if (position.deliveryCount >= maxAttempts) {
        await this.deadLetter(msg, position, 'handler_failed', String((error as Error).stack ?? error));
        this.done('dead', started);
      } else {
        this.options.logger.warn(
          { err: error, durable: this.options.durable, streamSeq: position.streamSeq, attempt: position.deliveryCount },
          'handler failed; message will be redelivered',
        );
        msg.nak(redeliveryDelayMs(position.deliveryCount));
        this.done('retry', started);
      }
    }
  }

  private async deadLetter(msg: JsMsg, position: MessagePosition, reason: DeadLetter['reason'], error: string): Promise<void> {
    const letter: DeadLetter = {
      v: 1,
      consumer: this.options.durable,
      stream: position.stream,
      stream_seq: position.streamSeq,
      subject: position.subject,
      delivery_count: position.deliveryCount,
      reason,
      error: error.slice(0, 4000),
      payload: msg.string(),
    };
    this.options.logger.warn({ durable: this.options.durable, streamSeq: position.streamSeq, reason, error }, 'message dead-lettered');
    await publishJson(this.options.js, {
      subject: this.options.deadLetterSubject,
      payload: letter,
      msgId: `${this.options.durable}:${position.stream}:${position.streamSeq}:dead`,
    });
    // No reason argument: servers before 2.10 ignore a `+TERM` that carries one.
    msg.term();
  }

  private done(outcome: 'ok' | 'retry' | 'dead', started: number): void {
    this.options.onProcessed?.(outcome, performance.now() - started);
  }
}
