import type { CollectionName } from './collections';
import type { CollectionOutcome, ReadModelStore, WriteOutcome } from './read-model-store';
import type { ReadModelFields, VersionedUpsert } from './versioned-upsert';

/**
 * A ReadModelStore in memory with the same version rule as the MongoDB one: for tests of the
 * consumer and for running without a database. `failWith` makes every write reject until cleared.
 */
export class InMemoryReadModelStore implements ReadModelStore {
  private readonly collections = new Map<CollectionName, Map<string, { version: number; fields: ReadModelFields }>>();
  /** Every write call, successful or not, with its upserts. */
  readonly calls: (readonly VersionedUpsert[])[] = [];
  failWith: Error | undefined;

  async write(upserts: readonly VersionedUpsert[]): Promise<WriteOutcome> {
    this.calls.push(upserts);
    if (this.failWith) throw this.failWith;
    const outcome = new Map<CollectionName, CollectionOutcome>();
    for (const upsert of upserts) {
      const docs = this.collections.get(upsert.collection) ?? new Map();
      this.collections.set(upsert.collection, docs);
      const stored = docs.get(upsert.id);
      const applies = !stored || stored.version < upsert.version;
      if (applies) docs.set(upsert.id, { version: upsert.version, fields: { ...stored?.fields, ...upsert.fields } });
      const seen = outcome.get(upsert.collection) ?? { written: 0, unchanged: 0 };
      outcome.set(upsert.collection, applies ? { ...seen, written: seen.written + 1 } : { ...seen, unchanged: seen.unchanged + 1 });
    }
    return outcome;
  }

  /** The stored document, or undefined. */
  get(collection: CollectionName, id: string): ReadModelFields | undefined {
    return this.collections.get(collection)?.get(id)?.fields;
  }

  /** Number of documents in a collection. */
  count(collection: CollectionName): number {
    return this.collections.get(collection)?.size ?? 0;
  }
}
