import { byCollection, guardedUpdate, indexSpecs, type CollectionName, type CollectionOutcome, type ReadModelStore, type Retention, type VersionedUpsert, type WriteOutcome } from '@sightline/read-models';
import { MongoBulkWriteError, type Db } from 'mongodb';
import { readBulkFailure } from './bulk-outcome';
import { ensureIndexes } from './mongo-indexes';

/**
 * The read models in MongoDB. Each collection of a batch is one unordered bulk write of guarded
 * upserts. Upserts that hit a duplicate key are tried once more on their own: the first time it
 * can be a race with another writer inserting the same `_id` (the document now exists, so the
 * retry either updates it or proves it newer); the second time it is a stale or repeated write.
 * Indexes are created before the first write (retried with it until they exist).
 */
export class MongoReadModelStore implements ReadModelStore {
  private indexesReady = false;

  constructor(
    private readonly db: Db,
    private readonly retention: Retention,
  ) {}

  async write(upserts: readonly VersionedUpsert[]): Promise<WriteOutcome> {
    if (!this.indexesReady) {
      await ensureIndexes(this.db, indexSpecs(this.retention));
      this.indexesReady = true;
    }
    const groups = [...byCollection(upserts)];
    const outcomes = await Promise.all(groups.map(([collection, group]) => this.writeCollection(collection, group)));
    return new Map(groups.map(([collection], i) => [collection, outcomes[i]!]));
  }

  private async writeCollection(collection: CollectionName, upserts: readonly VersionedUpsert[]): Promise<CollectionOutcome> {
    const first = await this.bulk(collection, upserts);
    if (first.duplicates.length === 0) return { written: first.written, unchanged: upserts.length - first.written };
    const second = await this.bulk(
      collection,
      first.duplicates.map((i) => upserts[i]!),
    );
    const written = first.written + second.written;
    return { written, unchanged: upserts.length - written };
  }

  private async bulk(collection: CollectionName, upserts: readonly VersionedUpsert[]): Promise<{ written: number; duplicates: number[] }> {
    const operations = upserts.map((u) => ({ updateOne: guardedUpdate(u) }));
    try {
      const result = await this.db.collection(collection).bulkWrite(operations, { ordered: false });
      return { written: result.upsertedCount + result.modifiedCount, duplicates: [] };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      const read = readBulkFailure({
        writeErrors: writeErrors.map((e) => ({ index: e.index, code: e.code })),
        writeConcernFailed: error.result.getWriteConcernError() !== undefined,
      });
      if ('failed' in read) throw new Error(`bulk write to ${collection} failed: ${read.failed}: ${error.message}`, { cause: error });
      return { written: error.result.upsertedCount + error.result.modifiedCount, duplicates: read.duplicates };
    }
  }
}
