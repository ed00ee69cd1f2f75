import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** The raw nats.js clients behind a messaging connection, for tests that look past the port. */
export interface NatsClients {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/** The key libs/messaging keeps them under (`port/nats-clients.ts`); this lib may not import that one. */
const NATS_CLIENTS = Symbol.for('sightline.messaging.nats-clients');

/** The raw clients of a connection made by `connectJetStream` (libs/messaging). */
export function natsClientsOf(connection: object): NatsClients {
  const clients = (connection as { [NATS_CLIENTS]?: NatsClients })[NATS_CLIENTS];
  if (!clients) throw new TypeError('not a connection made by connectJetStream: it has no NATS clients');
  return clients;
}
