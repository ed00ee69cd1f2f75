import { randomBytes } from 'node:crypto';
import { natsClientsOf } from './nats-clients';

/** A fresh namespace for one test: its streams, subjects and KV buckets are its own. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** Deletes every stream (KV buckets included) whose name starts with the namespace, through a messaging connection. */
export async function deleteNamespace(connection: object, namespace: string): Promise<void> {
  const names: string[] = [];
  for await (const name of natsClientsOf(connection).jsm.streams.names()) {
    if (name.startsWith(`${namespace}-`) || name.startsWith(`KV_${namespace}-`)) names.push(name);
  }
  await deleteStreams(connection, names);
}

/** Deletes the named streams, through a messaging connection. */
export async function deleteStreams(connection: object, names: readonly string[]): Promise<void> {
  const { jsm } = natsClientsOf(connection);
  await Promise.all(names.map((name) => jsm.streams.delete(name)));
}
