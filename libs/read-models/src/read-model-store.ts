import type { CollectionName } from './collections';
import type { VersionedUpsert } from './versioned-upsert';

/** What one write of a batch did, per collection. */
export interface CollectionOutcome {
  /** Documents inserted or changed. */
  readonly written: number;
  /** Upserts that changed nothing: the stored document was as new or newer (a replay, or stale). */
  readonly unchanged: number;
}

export type WriteOutcome = ReadonlyMap<CollectionName, CollectionOutcome>;

/**
 * The port the projector writes through (MongoDB in production). `write` either applies every
 * upsert (each by its version rule) or rejects; a rejected batch may have been applied in part,
 * which is harmless because retrying it applies each upsert at most once.
 */
export interface ReadModelStore {
  write(upserts: readonly VersionedUpsert[]): Promise<WriteOutcome>;
}
