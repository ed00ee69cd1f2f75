import type { JetStreamConnection } from '@sightline/messaging';

export interface RawPublishRate {
  readonly messagesPerSecond: number;
  readonly eventsPerSecond: number;
}

type Nth = (i: number) => { subject: string; data: string; events: number };

/**
 * Publishes `nth(i)` through `publish`, 1,000 in flight, for `seconds`. Message ids are
 * `<tag>-<i>`: give each measurement of a run its own tag, or JetStream drops repeats as duplicates.
 */
async function publishRate(
  seconds: number,
  nth: Nth,
  tag: string,
  publish: (subject: string, data: string, msgId: string) => Promise<unknown>,
): Promise<RawPublishRate> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let sent = 0;
  let events = 0;
  const window: Promise<unknown>[] = [];
  while (performance.now() < deadline) {
    const m = nth(sent);
    window.push(publish(m.subject, m.data, `${tag}-${sent}`));
    sent++;
    events += m.events;
    if (window.length >= 1000) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
  const elapsed = (performance.now() - started) / 1000;
  return { messagesPerSecond: sent / elapsed, eventsPerSecond: events / elapsed };
}

/**
 * The raw JetStream ceiling the benchmarks compare against: one client publishing the messages
 * `nth(i)` gives with the client library's acknowledged publish (the port's `publish`, a request
 * per message), 1,000 in flight, for `seconds`.
 */
export function rawPublishRate(connection: JetStreamConnection, seconds: number, nth: Nth, tag = 'raw'): Promise<RawPublishRate> {
  return publishRate(seconds, nth, tag, (subject, data, msgId) => connection.publish(subject, data, { msgId }));
}

/**
 * The same with pipelined publishes (plain publishes sharing one reply inbox, acknowledgements
 * matched by id, as ingest itself publishes): what the server takes when the client does not
 * pay a request per message.
 */
export async function pipelinedPublishRate(connection: JetStreamConnection, seconds: number, nth: Nth, tag = 'pipelined'): Promise<RawPublishRate> {
  const publisher = connection.pipelinedPublisher(10_000);
  const encoder = new TextEncoder();
  try {
    return await publishRate(seconds, nth, tag, (subject, data, msgId) => publisher.publish(subject, encoder.encode(data), msgId));
  } finally {
    publisher.close();
  }
}
