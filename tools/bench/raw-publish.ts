import type { JetStreamClient } from '@nats-io/jetstream';

export interface RawPublishRate {
  readonly messagesPerSecond: number;
  readonly eventsPerSecond: number;
}

/**
 * The raw JetStream ceiling the benchmarks compare against: one client publishing the messages
 * `nth(i)` gives (with a `Nats-Msg-Id`), 1,000 in flight, for `seconds`.
 */
export async function rawPublishRate(
  js: JetStreamClient,
  seconds: number,
  nth: (i: number) => { subject: string; data: string; events: number },
): Promise<RawPublishRate> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let sent = 0;
  let events = 0;
  const window: Promise<unknown>[] = [];
  while (performance.now() < deadline) {
    const m = nth(sent);
    window.push(js.publish(m.subject, m.data, { msgID: `raw-${sent}` }));
    sent++;
    events += m.events;
    if (window.length >= 1000) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
  const elapsed = (performance.now() - started) / 1000;
  return { messagesPerSecond: sent / elapsed, eventsPerSecond: events / elapsed };
}
