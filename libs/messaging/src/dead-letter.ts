import type { JsMsg } from '@nats-io/jetstream';
import { Type, type Static } from '@sinclair/typebox';
import type { OutboundMessage } from './publisher';

/** What a consumer publishes on `<ns>.v1.dead.<consumer>` when it gives up on a message. */
export const DeadLetterSchema = Type.Object({
  v: Type.Literal(1),
  consumer: Type.String(),
  stream: Type.String(),
  stream_seq: Type.Integer(),
  subject: Type.String(),
  delivery_count: Type.Integer(),
  reason: Type.Union([Type.Literal('invalid_payload'), Type.Literal('handler_failed')]),
  error: Type.String(),
  /** The original payload as UTF-8 text (it may not be JSON). */
  payload: Type.String(),
});

export type DeadLetter = Static<typeof DeadLetterSchema>;

/** Why a consumer gave up on a message, and where it says so. */
export interface GiveUp {
  /** The consumer (stage or durable name) that gives up: the letter's `consumer` and id prefix. */
  readonly consumer: string;
  /** The dead-letter subject, `<ns>.v1.dead.<consumer kind>`. */
  readonly subject: string;
  readonly reason: DeadLetter['reason'];
  /** Kept to its first 4000 characters. */
  readonly error: string;
}

/** Longest `error` a letter carries: a stack trace's head, not a payload's worth. */
const MAX_ERROR_CHARS = 4000;

/**
 * The dead letter of `msg`, ready to publish. Its id is `<consumer>:<stream>:<seq>:dead`, so
 * repeating the letter (a redelivery, a replay within the duplicate window) stores it once.
 */
export function deadLetterOf(msg: JsMsg, giveUp: GiveUp): OutboundMessage & { readonly payload: DeadLetter } {
  const { stream, streamSequence, deliveryCount } = msg.info;
  const payload: DeadLetter = {
    v: 1,
    consumer: giveUp.consumer,
    stream,
    stream_seq: streamSequence,
    subject: msg.subject,
    delivery_count: deliveryCount,
    reason: giveUp.reason,
    error: giveUp.error.slice(0, MAX_ERROR_CHARS),
    payload: msg.string(),
  };
  return { subject: giveUp.subject, payload, msgId: `${giveUp.consumer}:${stream}:${streamSequence}:dead` };
}
