import { checkProperty, type Property } from '@sightline/intake';
import { WatchedBucket, type DocumentChange, type JetStreamConnection } from '@sightline/messaging';
import type { Logger } from '@sightline/runtime';
import { ingestErrors } from './ingest-errors';

/**
 * Properties kept in the KV bucket `<ns>-properties` and watched: a change made by any instance
 * (through the API) applies to every ingest instance at once, without a restart. Keys are
 * indexed as the changes apply, so finding a request's property is one map look-up.
 */
export class PropertyRegistry {
  private constructor(
    private readonly bucket: WatchedBucket<Property>,
    private readonly byKey: Map<string, Property>,
  ) {}

  /** Opens the bucket, creating the `seed` properties that are missing; resolves once every property is loaded. */
  static async open(connection: JetStreamConnection, namespace: string, seed: Property[], logger: Logger): Promise<PropertyRegistry> {
    const byKey = new Map<string, Property>();
    const index = ({ previous, current }: DocumentChange<Property>): void => {
      for (const key of previous?.keys ?? []) byKey.delete(key);
      for (const key of current?.keys ?? []) byKey.set(key, current!);
    };
    const bucket = await WatchedBucket.open(connection, { bucket: `${namespace}-properties`, validator: { validate: checkProperty }, seed, onChange: index, logger });
    return new PropertyRegistry(bucket, byKey);
  }

  /** For `/readyz`: fails once the watch of the bucket has ended. */
  get readiness(): { readonly name: string; check(): void } {
    return this.bucket.readiness;
  }

  /** The property a key belongs to. */
  forKey(key: string): Property | undefined {
    return this.byKey.get(key);
  }

  /** The property of the key a request carries; UNKNOWN_KEY (401) when there is none or it is unknown. */
  require(key: string | undefined): Property {
    const property = key ? this.byKey.get(key) : undefined;
    if (!property) throw ingestErrors.error('UNKNOWN_KEY');
    return property;
  }

  list(): Property[] {
    return this.bucket.list();
  }

  /** Stores the property; refused when one of its keys belongs to another property. */
  async put(property: Property): Promise<void> {
    for (const other of this.bucket.list()) {
      const clash = other.id !== property.id && other.keys.find((k) => property.keys.includes(k));
      if (clash) throw new Error(`key ${clash} already belongs to property ${other.id}`);
    }
    await this.bucket.put(property);
  }

  /** Deletes the property; false when there is none. */
  remove(id: string): Promise<boolean> {
    return this.bucket.delete(id);
  }
}
