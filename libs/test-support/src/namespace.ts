import { randomBytes } from 'node:crypto';
import type { JetStreamManager } from '@nats-io/jetstream';

/** A fresh namespace for one test: its streams, subjects and KV buckets are its own. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** Deletes every stream (KV buckets included) whose name starts with the namespace. */
export async function deleteNamespace(jsm: JetStreamManager, namespace: string): Promise<void> {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) {
    if (name.startsWith(`${namespace}-`) || name.startsWith(`KV_${namespace}-`)) names.push(name);
  }
  await Promise.all(names.map((name) => jsm.streams.delete(name)));
}
