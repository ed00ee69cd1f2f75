import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { natsClientsOf } from './nats-clients';

/**
 * The raw consume ceiling benchmarks compare against: the bare client, one durable per filter
 * subject (explicit ack of every message, as a plain service would), each reading what its
 * filter holds when it starts. Resolves with the messages consumed a second, all durables together.
 */
export async function rawConsumeAckRate(connection: object, stream: string, filters: readonly string[], durablePrefix = 'raw'): Promise<number> {
  const { js, jsm } = natsClientsOf(connection);
  const started = performance.now();
  let total = 0;
  await Promise.all(
    filters.map(async (filter, i) => {
      const name = `${durablePrefix}-${i}`;
      await jsm.consumers.add(stream, { durable_name: name, filter_subject: filter, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 10_000 });
      const expected = (await jsm.consumers.info(stream, name)).num_pending;
      if (expected === 0) return;
      const messages = await (await js.consumers.get(stream, name)).consume({ max_messages: 1000 });
      let n = 0;
      for await (const m of messages) {
        JSON.parse(m.string());
        m.ack();
        if (++n >= expected) break;
      }
      total += n;
    }),
  );
  return total / ((performance.now() - started) / 1000);
}
