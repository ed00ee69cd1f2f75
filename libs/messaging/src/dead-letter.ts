import { Type, type Static } from '@sinclair/typebox';

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
