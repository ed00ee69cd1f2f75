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

  private constructor(private readonly kv: KV) {}

  static async open(connection: JetStreamConnection, topology: Topology, ttlMs: number): Promise<ViewStore> {
    const kv = await new Kvm(connection.nc).create(`${topology.namespace}-sessionizer-views`, { history: 1, ttl: ttlMs });
    return new ViewStore(kv);
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

  /** Loads every active view from the bucket; call once at start-up. */
  async loadActive(): Promise<number> {
    for await (const key of await this.kv.keys()) {
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== 'PUT') continue;
      const state = entry.json<ViewState>();
      if (state.status === 'active') this.active.set(key, state);
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
