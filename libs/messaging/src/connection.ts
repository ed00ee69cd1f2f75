import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

/** A NATS connection with its JetStream client and manager. */
export interface JetStreamConnection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Server version, e.g. `2.9.10`; check it before using a feature newer than 2.9. */
  readonly serverVersion: string;
  /** False from a disconnect until the client has reconnected: callers can fail fast meanwhile. */
  readonly connected: boolean;
  /** Flushes pending publishes and acknowledgements, then closes. */
  drain(): Promise<void>;
}

export interface ConnectOptions {
  /** Comma-separated NATS URLs. */
  readonly servers: string;
  /** Client name shown by the server's monitoring. */
  readonly name: string;
  /** Time to wait for the first connection, ms. Default 5000. */
  readonly connectTimeoutMs?: number;
}

/** Connects and keeps reconnecting for ever: a service outlives NATS restarts. */
export async function connectJetStream(options: ConnectOptions): Promise<JetStreamConnection> {
  const nc = await connect({
    servers: options.servers.split(',').map((s) => s.trim()),
    name: options.name,
    timeout: options.connectTimeoutMs ?? 5000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  const jsm = await jetstreamManager(nc);
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      else if (status.type === 'reconnect') connected = true;
    }
  })();
  return {
    nc,
    js: jetstream(nc),
    jsm,
    serverVersion: nc.info?.version ?? 'unknown',
    get connected() {
      return connected && !nc.isClosed();
    },
    drain: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

/** True when the server version is at least `major.minor`. */
export function serverAtLeast(version: string, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  return maj > major || (maj === major && min >= minor);
}
