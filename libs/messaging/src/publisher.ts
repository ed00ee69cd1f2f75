import type { JetStreamClient, PubAck } from '@nats-io/jetstream';

/** A message to publish; `msgId` makes the write idempotent within the stream's duplicate window. */
export interface OutboundMessage {
  readonly subject: string;
  readonly payload: unknown;
  readonly msgId: string;
}

export interface PublishResult {
  readonly stream: string;
  readonly seq: number;
  /** The stream already held a message with this id: the write had happened before. */
  readonly duplicate: boolean;
}

const encoder = new TextEncoder();

export function encodeJson(payload: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(payload));
}

/**
 * Publishes JSON with a de-duplication id and resolves only once JetStream has stored it.
 * A duplicate reply counts as success: the message is in the stream exactly once.
 */
export async function publishJson(js: JetStreamClient, message: OutboundMessage, timeoutMs = 5000): Promise<PublishResult> {
  const ack: PubAck = await js.publish(message.subject, encodeJson(message.payload), {
    msgID: message.msgId,
    timeout: timeoutMs,
  });
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
}
