import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamConnection } from '@sightline/messaging';
import type { Logger } from '@sightline/runtime';

/** A parsed document, or why it is not one. */
export type ParsedDocument<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: { readonly message: string } };

/**
 * Documents (channels, silences, alert rules) kept in a JetStream KV bucket, key = id, and watched: a change
 * made through any alerting instance applies to every instance at once. Reads are from memory.
 */
export class SettingsStore<T extends { id: string }> {
  private readonly byId = new Map<string, T>();
  private watcher: { stop(): void } | undefined;

  private constructor(
    private readonly kv: KV,
    private readonly parse: (value: unknown) => ParsedDocument<T>,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens (creating when missing) the bucket, writes the `seed` documents whose id is not stored
   * yet, and returns once every stored document is loaded.
   */
  static async open<T extends { id: string }>(
    connection: JetStreamConnection,
    bucket: string,
    parse: (value: unknown) => ParsedDocument<T>,
    logger: Logger,
    seed: readonly T[] = [],
  ): Promise<SettingsStore<T>> {
    const kv = await new Kvm(connection.nc).create(bucket, { history: 1 });
    for (const document of seed) await kv.create(document.id, JSON.stringify(document)).catch(() => undefined);
    const store = new SettingsStore(kv, parse, logger);
    await store.watch(bucket);
    return store;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  list(): T[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Stores the document; every instance (this one included, through the watch) applies it. */
  async put(document: T): Promise<void> {
    await this.kv.put(document.id, JSON.stringify(document));
    this.byId.set(document.id, document);
  }

  /** Deletes the document; false when there was none. */
  async remove(id: string): Promise<boolean> {
    if (!this.byId.has(id)) return false;
    await this.kv.delete(id);
    this.byId.delete(id);
    return true;
  }

  /** Stops watching: the documents in memory stay as they are. */
  close(): void {
    this.watcher?.stop();
  }

  private async watch(bucket: string): Promise<void> {
    const iterator = await this.kv.watch();
    this.watcher = iterator;
    let initialised: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (initialised = resolve));
    if ((await this.kv.status()).values === 0) initialised();
    void (async () => {
      for await (const entry of iterator) {
        if (entry.operation === 'PUT') {
          const parsed = this.parse(entry.json());
          if (parsed.ok && parsed.value.id === entry.key) this.byId.set(entry.key, parsed.value);
          else this.logger.warn({ bucket, key: entry.key, err: parsed.ok ? 'id differs from key' : parsed.issue.message }, 'invalid document ignored');
        } else {
          this.byId.delete(entry.key);
        }
        if (entry.delta === 0) initialised();
      }
    })();
    await ready;
  }
}
