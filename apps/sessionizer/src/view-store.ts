import { DeliverPolicy } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { Topology } from '@sightline/contracts';
import type { JetStreamConnection } from '@sightline/messaging';
import type { ViewState } from '@sightline/view-metrics';


const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * View states in a JetStream KV bucket (one key per view), with the active ones cached in
 * memory. Completed views stay in the bucket until its TTL so late events are recognised.
 */
export class ViewStore {
  private readonly active = new Map<string, ViewState>();

  private constructor(
    private readonly kv: KV,
    private readonly connection: JetStreamConnection,
    private readonly bucket: string,
  ) {}

  static async open(connection: JetStreamConnection, topology: Topology, ttlMs: number): Promise<ViewStore> {
    const bucket = `${topology.namespace}-sessionizer-views`;
    const kv = await new Kvm(connection.nc).create(bucket, { history: 1, ttl: ttlMs });
    return new ViewStore(kv, connection, bucket);
  }

  static key(propertyId: string, viewId: string): string {
    return `${b64(propertyId)}.${b64(viewId)}`;
  }

  async get(propertyId: string, viewId: string): Promise<ViewState | undefined> {
    const key = ViewStore.key(propertyId, viewId);
    const cached = this.active.get(key);
    if (cached) return cached;
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return entry.json<ViewState>();
  }

  async save(state: ViewState): Promise<void> {
    const key = ViewStore.key(state.propertyId, state.viewId);
    await this.kv.put(key, JSON.stringify(state));
    if (state.status === 'active') this.active.set(key, state);
    else this.active.delete(key);
  }

  /**
   * Loads every active view from the bucket; call once at start-up. Reads the latest value of
   * each key with an ordered consumer and stops at the last one (the KV client's `keys()` can
   * miss its end under load).
   */
  async loadActive(): Promise<number> {
    const stream = `KV_${this.bucket}`;
    if ((await this.connection.jsm.streams.info(stream)).state.messages === 0) return 0;
    const consumer = await this.connection.js.consumers.get(stream, {
      deliver_policy: DeliverPolicy.LastPerSubject,
      filter_subjects: `$KV.${this.bucket}.>`,
    });
    for (;;) {
      let received = 0;
      let pending = 0;
      const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
      for await (const m of batch) {
        received++;
        pending = m.info.pending;
        if (m.headers?.get('KV-Operation') || m.data.length === 0) continue;
        const state = m.json<ViewState>();
        if (state.status === 'active') this.active.set(m.subject.slice(`$KV.${this.bucket}.`.length), state);
      }
      if (received === 0 || pending === 0) break;
    }
    return this.active.size;
  }

  activeViews(): ViewState[] {
    return [...this.active.values()];
  }

  get activeCount(): number {
    return this.active.size;
  }
}
