import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { CONTROL_HEADER } from '../partitioned/partition-ticks';
import type { ReadFrom, ReadOptions, StoredMessage, StoredMessages } from './port-types';

const DELIVER: Record<ReadFrom, DeliverPolicy> = { start: DeliverPolicy.All, new: DeliverPolicy.New, 'last-per-subject': DeliverPolicy.LastPerSubject };

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
    deliver_policy: DELIVER[options.from],
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
