import type { JetStreamConnection } from './connection';

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
export function publishJson(connection: JetStreamConnection, message: OutboundMessage, timeoutMs = 5000): Promise<PublishResult> {
  return connection.publish(message.subject, encodeJson(message.payload), { msgId: message.msgId, timeoutMs });
}
