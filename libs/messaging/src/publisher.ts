import type { JetStreamClient } from '@nats-io/jetstream';
import type { JetStreamConnection } from './connection';
import { hasNatsClients } from './port/nats-clients';

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
export async function publishJson(via: JetStreamConnection | JetStreamClient, message: OutboundMessage, timeoutMs = 5000): Promise<PublishResult> {
  const data = encodeJson(message.payload);
  if (hasNatsClients(via)) return (via as JetStreamConnection).publish(message.subject, data, { msgId: message.msgId, timeoutMs });
  // A raw client, still taken while apps move off it.
  const ack = await (via as JetStreamClient).publish(message.subject, data, { msgID: message.msgId, timeout: timeoutMs });
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
}
