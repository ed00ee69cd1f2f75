import type { JsMsg } from '@nats-io/jetstream';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Validator } from '@sightline/contracts';
import { decodeInput } from '../partitioned/input-decoding';
import { CONTROL_HEADER } from '../partitioned/partition-ticks';
import type { Delivery } from './worker-options';

/** The parts of a fetched message a batch is sorted by. */
export type FetchedMessage = Pick<JsMsg, 'subject' | 'headers' | 'info' | 'data' | 'string'>;

/** A fetched batch sorted: what the handler gets, what is dead-lettered, what is skipped. */
export interface SortedBatch<V, M extends FetchedMessage> {
  readonly deliveries: Delivery<V>[];
  readonly invalid: { readonly msg: M; readonly error: string }[];
  /** Control messages: ticks and other messages without a payload for consumers. */
  readonly control: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes and validates each message of a batch, keeping stream order. */
export function sortBatch<T extends TSchema, M extends FetchedMessage>(messages: readonly M[], validator: Validator<T>): SortedBatch<Static<T>, M> {
  const deliveries: Delivery<Static<T>>[] = [];
  const invalid: { msg: M; error: string }[] = [];
  let control = 0;
  for (const msg of messages) {
    if (msg.headers?.get(CONTROL_HEADER)) {
      control++;
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(msg.data);
    } catch (error) {
      invalid.push({ msg, error: `not UTF-8: ${(error as Error).message}` });
      continue;
    }
    const decoded = decodeInput(text, validator);
    if (!decoded.ok) {
      invalid.push({ msg, error: decoded.error });
      continue;
    }
    const { streamSequence, deliveryCount, timestampNanos } = msg.info;
    deliveries.push({ value: decoded.value, subject: msg.subject, streamSeq: streamSequence, deliveryCount, storedAt: Math.floor(timestampNanos / 1e6) });
  }
  return { deliveries, invalid, control };
}
