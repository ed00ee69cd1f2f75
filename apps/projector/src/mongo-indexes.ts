import type { IndexSpec } from '@sightline/read-models';
import type { Db } from 'mongodb';

/**
 * Creates the indexes that are missing. A TTL index whose retention changed is altered in place
 * (`collMod`), so a new retention applies to the documents already stored without a rebuild.
 */
export async function ensureIndexes(db: Db, specs: readonly IndexSpec[]): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const spec of specs) {
    const collection = db.collection(spec.collection);
    if (existing.has(spec.collection) && spec.expireAfterSeconds !== undefined) {
      const current = (await collection.listIndexes().toArray()).find((index) => index.name === spec.name);
      if (current && current.expireAfterSeconds !== spec.expireAfterSeconds) {
        await db.command({ collMod: spec.collection, index: { name: spec.name, expireAfterSeconds: spec.expireAfterSeconds } });
        continue;
      }
    }
    await collection.createIndex(spec.key, {
      name: spec.name,
      ...(spec.expireAfterSeconds !== undefined ? { expireAfterSeconds: spec.expireAfterSeconds } : {}),
    });
  }
}
