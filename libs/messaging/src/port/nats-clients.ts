import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** The raw nats.js clients behind a connection: for libs/messaging itself and libs/test-support only. */
export interface NatsClients {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/**
 * The key a connection keeps its raw clients under. Registered (`Symbol.for`) so that
 * libs/test-support, which may not import this lib, reads them by the same key; it is not
 * exported from the lib's index, so services cannot reach the clients.
 */
export const NATS_CLIENTS = Symbol.for('sightline.messaging.nats-clients');

export interface HasNatsClients {
  readonly [NATS_CLIENTS]: NatsClients;
}

function hasNatsClients(value: object): value is HasNatsClients {
  return NATS_CLIENTS in value;
}

/** The raw clients of a connection made by `connectJetStream`. */
export function natsClients(connection: object): NatsClients {
  if (!hasNatsClients(connection)) throw new TypeError('not a connection made by connectJetStream: it has no NATS clients');
  return connection[NATS_CLIENTS];
}
