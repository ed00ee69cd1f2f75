import { DeliverPolicy } from '@nats-io/jetstream';
import type { JetStreamConnection } from '../connection';
import { natsClients } from '../port/nats-clients';

export interface KvEntry {
  /** Key as stored (after `$KV.<bucket>.`). */
  readonly key: string;
  readonly value: Uint8Array;
  readonly revision: number;
}

/**
 * The latest value of every key of a KV bucket matching `keyFilter` (deleted keys left out),
 * read with an ordered consumer that stops at the last one.
 */
export async function scanKv(connection: JetStreamConnection, bucket: string, keyFilter = '>'): Promise<KvEntry[]> {
  const stream = `KV_${bucket}`;
  const prefix = `$KV.${bucket}.`;
  if ((await natsClients(connection).jsm.streams.info(stream)).state.messages === 0) return [];
  const consumer = await natsClients(connection).js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.LastPerSubject,
    filter_subjects: `${prefix}${keyFilter}`,
  });
  const entries: KvEntry[] = [];
  for (;;) {
    let received = 0;
    let pending = 0;
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
    for await (const m of batch) {
      received++;
      pending = m.info.pending;
      const operation = m.headers?.get('KV-Operation');
      if (operation === 'DEL' || operation === 'PURGE') {
        if (pending === 0) break;
        continue;
      }
      entries.push({ key: m.subject.slice(prefix.length), value: m.data, revision: m.seq });
      if (pending === 0) break;
    }
    if (received === 0 || pending === 0) break;
  }
  await consumer.delete().catch(() => undefined);
  return entries;
}
