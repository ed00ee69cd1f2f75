import { Kvm, type KV } from '@nats-io/kv';
import { parseProperty, type Property } from '@sightline/intake';
import type { JetStreamConnection } from '@sightline/messaging';
import type { Logger } from '@sightline/runtime';
import { IngestError } from './errors';

/**
 * Properties kept in the KV bucket `<ns>-properties` and watched: a change made by any instance
 * (through the API) applies to every ingest instance at once, without a restart.
 */
export class PropertyRegistry {
  private readonly byKey = new Map<string, Property>();
  private readonly byId = new Map<string, Property>();
  private watching: Promise<void> | undefined;

  private constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  static async open(connection: JetStreamConnection, namespace: string, seed: Property[], logger: Logger): Promise<PropertyRegistry> {
    const kv = await new Kvm(connection.nc).create(`${namespace}-properties`, { history: 1 });
    const registry = new PropertyRegistry(kv, logger);
    for (const property of seed) await kv.create(property.id, JSON.stringify(property)).catch(() => undefined);
    await registry.watch();
    return registry;
  }

  /** The property a key belongs to. */
  forKey(key: string): Property | undefined {
    return this.byKey.get(key);
  }

  /** The property of the key a request carries; UNKNOWN_KEY (401) when there is none or it is unknown. */
  require(key: string | undefined): Property {
    const property = key ? this.byKey.get(key) : undefined;
    if (!property) throw new IngestError('UNKNOWN_KEY', 'a valid property key is required in ?key= or the X-Sightline-Key header');
    return property;
  }

  list(): Property[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async put(property: Property): Promise<void> {
    for (const other of this.byId.values()) {
      const clash = other.id !== property.id && other.keys.find((k) => property.keys.includes(k));
      if (clash) throw new Error(`key ${clash} already belongs to property ${other.id}`);
    }
    await this.kv.put(property.id, JSON.stringify(property));
  }

  async remove(id: string): Promise<boolean> {
    if (!this.byId.has(id)) return false;
    await this.kv.delete(id);
    return true;
  }

  private apply(id: string, property: Property | undefined): void {
    const previous = this.byId.get(id);
    for (const key of previous?.keys ?? []) this.byKey.delete(key);
    if (!property) {
      this.byId.delete(id);
      return;
    }
    this.byId.set(id, property);
    for (const key of property.keys) this.byKey.set(key, property);
  }

  /** Loads every property, then keeps applying changes as they are written. */
  private async watch(): Promise<void> {
    const iterator = await this.kv.watch();
    let initialised: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (initialised = resolve));
    if ((await this.kv.status()).values === 0) initialised();
    this.watching = (async () => {
      for await (const entry of iterator) {
        if (entry.operation === 'PUT') {
          try {
            this.apply(entry.key, parseProperty(entry.json()));
          } catch (error) {
            this.logger.warn({ property: entry.key, err: (error as Error).message }, 'invalid property ignored');
          }
        } else {
          this.apply(entry.key, undefined);
        }
        if (entry.delta === 0) initialised();
      }
    })();
    await ready;
  }
}
