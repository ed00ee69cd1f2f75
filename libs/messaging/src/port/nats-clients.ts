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

/**
 * How long a JetStream API call (provisioning, consumer and bucket management) may take before it
 * fails. The client's default, 5 s, was seen to run out at start-up on a busy 2-core machine,
 * where a slow answer is not a missing server. Publishes and KV operations (leases) keep the
 * client's default: they must fail fast.
 */
export const JETSTREAM_API_TIMEOUT_MS = 15_000;

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
