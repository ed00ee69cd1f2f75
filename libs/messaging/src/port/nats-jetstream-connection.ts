import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { AsyncPublisher } from '../async-publisher';
import type { JetStreamConnection } from '../connection';
import type { PublishResult } from '../publisher';
import { JETSTREAM_API_TIMEOUT_MS, NATS_CLIENTS, type HasNatsClients, type NatsClients } from './nats-clients';
import type { ConnectionState, ConsumerState, Listening, PublishOptions, ReadOptions, ReceivedMessage, SnapshotOptions, StoredMessages, StreamSnapshot, StreamState } from './port-types';
import { readSnapshot, readStored } from './stored-messages';

/** The port over one nats.js connection. */
export class NatsJetStreamConnection implements JetStreamConnection, HasNatsClients {
  readonly [NATS_CLIENTS]: NatsClients;
  private disconnected = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {
    this[NATS_CLIENTS] = { nc, js, jsm };
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.disconnected = true;
        else if (status.type === 'reconnect') this.disconnected = false;
      }
    })();
  }

  static async open(nc: NatsConnection): Promise<NatsJetStreamConnection> {
    return new NatsJetStreamConnection(nc, jetstream(nc), await jetstreamManager(nc, { timeout: JETSTREAM_API_TIMEOUT_MS }));
  }

  get serverVersion(): string {
    return this.nc.info?.version ?? 'unknown';
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  get state(): ConnectionState {
    if (this.nc.isClosed()) return 'closed';
    if (this.nc.isDraining()) return 'draining';
    return this.disconnected ? 'reconnecting' : 'connected';
  }

  async publish(subject: string, data: Uint8Array | string, options: PublishOptions = {}): Promise<PublishResult> {
    let headers;
    if (options.headers) {
      headers = natsHeaders();
      for (const [name, value] of Object.entries(options.headers)) headers.set(name, value);
    }
    const ack = await this.js.publish(subject, data, { msgID: options.msgId, headers, timeout: options.timeoutMs ?? 5000 });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  pipelinedPublisher(timeoutMs = 5000): AsyncPublisher {
    return new AsyncPublisher(this.nc, timeoutMs);
  }

  async request(subject: string, data: Uint8Array | string, timeoutMs = 5000): Promise<Uint8Array> {
    return (await this.nc.request(subject, data, { timeout: timeoutMs })).data;
  }

  serve(subject: string, options: { readonly queue: string }, answer: (request: ReceivedMessage) => Uint8Array | string): Listening {
    const subscription = this.nc.subscribe(subject, {
      queue: options.queue,
      callback: (error, msg) => {
        if (error || !msg.reply) return;
        try {
          msg.respond(answer(msg));
        } catch {
          // Unanswered: the requester times out, as the contract of `serve` says.
        }
      },
    });
    return { stop: () => subscription.drain() };
  }

  subscribe(subject: string, onMessage: (message: ReceivedMessage) => void): Listening {
    const subscription = this.nc.subscribe(subject, { callback: (error, msg) => void (!error && onMessage(msg)) });
    return { stop: () => subscription.drain() };
  }

  read(options: ReadOptions): Promise<StoredMessages> {
    return readStored(this.js, options);
  }

  readSnapshot(options: SnapshotOptions): Promise<StreamSnapshot> {
    return readSnapshot(this.js, options);
  }

  async streamState(stream: string): Promise<StreamState> {
    const { state } = await this.jsm.streams.info(stream);
    return { messages: state.messages, bytes: state.bytes, firstSeq: state.first_seq, lastSeq: state.last_seq, consumers: state.consumer_count };
  }

  async purgeStream(stream: string, options: { readonly subject?: string } = {}): Promise<number> {
    return (await this.jsm.streams.purge(stream, options.subject ? { filter: options.subject } : undefined)).purged;
  }

  async consumerState(stream: string, durable: string): Promise<ConsumerState> {
    const info = await this.jsm.consumers.info(stream, durable);
    return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered, ackFloor: info.ack_floor.stream_seq };
  }

  async drain(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}
