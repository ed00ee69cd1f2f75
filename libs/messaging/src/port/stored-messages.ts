import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { CONTROL_HEADER } from '../partitioned/partition-ticks';
import type { ReadFrom, ReadOptions, SnapshotOptions, StoredMessage, StoredMessages, StreamSnapshot } from './port-types';

const DELIVER: Record<Exclude<ReadFrom, object>, DeliverPolicy> = { start: DeliverPolicy.All, new: DeliverPolicy.New, 'last-per-subject': DeliverPolicy.LastPerSubject };

/** The ordered consumer's delivery options of a read position. */
export function deliveryOf(from: ReadFrom): { deliver_policy: DeliverPolicy; opt_start_time?: string } {
  if (typeof from === 'object') {
    if (!Number.isFinite(from.startTime) || from.startTime < 0) throw new RangeError(`startTime must be ms since the epoch, got ${from.startTime}`);
    return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(from.startTime).toISOString() };
  }
  return { deliver_policy: DELIVER[from] };
}

const SNAPSHOT_LIMIT = 100_000;
const SNAPSHOT_BATCH = 1000;

function stored(msg: JsMsg): StoredMessage {
  return {
    subject: msg.subject,
    data: msg.data,
    streamSeq: msg.info.streamSequence,
    storedAt: Math.floor(msg.info.timestampNanos / 1e6),
    control: Boolean(msg.headers?.get(CONTROL_HEADER)),
    pending: msg.info.pending,
    string: () => msg.string(),
    json: <T>() => msg.json<T>(),
  };
}

/** Reads a stream through an ordered consumer of its own (no acknowledgements, nothing left on the server after). */
export async function readStored(js: JetStreamClient, options: ReadOptions): Promise<StoredMessages> {
  const consumer = await js.consumers.get(options.stream, {
    ...deliveryOf(options.from),
    ...(options.filterSubject ? { filter_subjects: options.filterSubject } : {}),
  });
  const messages = await consumer.consume();
  return {
    stop: () => void messages.stop(),
    async *[Symbol.asyncIterator]() {
      try {
        for await (const msg of messages) yield stored(msg);
      } finally {
        messages.stop();
      }
    },
  };
}

/**
 * Reads what a stream holds now from a position: an ordered consumer of its own, whose pending
 * count at creation says how many messages to take, fetched in batches; nothing is left on the
 * server after. A query reads only the subjects and the time it needs, never the whole stream.
 */
export async function readSnapshot(js: JetStreamClient, options: SnapshotOptions): Promise<StreamSnapshot> {
  const limit = options.limit ?? SNAPSHOT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const consumer = await js.consumers.get(options.stream, {
    ...deliveryOf(options.from),
    ...(options.filterSubject ? { filter_subjects: options.filterSubject } : {}),
  });
  const pending = (await consumer.info()).num_pending;
  const wanted = Math.min(pending, limit);
  const messages: StoredMessage[] = [];
  while (messages.length < wanted) {
    const batch = await consumer.fetch({ max_messages: Math.min(SNAPSHOT_BATCH, wanted - messages.length), expires: 5000 });
    let got = 0;
    let past = false;
    for await (const msg of batch) {
      got++;
      const message = stored(msg);
      if (options.until !== undefined && message.storedAt > options.until) {
        past = true;
        break;
      }
      messages.push(message);
      if (messages.length >= wanted || msg.info.pending === 0) break;
    }
    if (past) return { messages, truncated: false };
    if (got === 0 || messages.at(-1)!.pending === 0) break;
  }
  return { messages, truncated: pending > limit };
}
