import type { CollectionName } from './collections';

/** A read-model document as stored, without its `_id`. Top-level keys are always all present. */
export type ReadModelFields = Readonly<Record<string, unknown>>;

/**
 * The one kind of write the projector makes: set the fields of document `id` unless the stored
 * document already has a version at least as high. Applying the same upsert twice, or an older
 * one after a newer one, changes nothing; the order in which versions arrive does not matter.
 */
export interface VersionedUpsert {
  readonly collection: CollectionName;
  readonly id: string;
  /** Field of the document that holds its version (e.g. `revision`, `pane_index`). */
  readonly versionField: string;
  /** This write's version; it must equal `fields[versionField]`. */
  readonly version: number;
  readonly fields: ReadModelFields;
}

/** A MongoDB `updateOne` with upsert, as plain data (the app hands it to the driver). */
export interface GuardedUpdate {
  readonly filter: Readonly<Record<string, unknown>>;
  readonly update: { readonly $set: ReadModelFields };
  readonly upsert: true;
}

/**
 * The MongoDB form of an upsert: the filter matches the document only while its version is
 * lower or absent (`$not: {$gte}` also matches a missing field). When a stored document is as new
 * or newer, the filter matches nothing, the upsert tries to insert the same `_id` and the server
 * answers a duplicate-key error (11000): that error means "stale", not failure.
 */
export function guardedUpdate(upsert: VersionedUpsert): GuardedUpdate {
  return {
    filter: { _id: upsert.id, [upsert.versionField]: { $not: { $gte: upsert.version } } },
    update: { $set: upsert.fields },
    upsert: true,
  };
}

/**
 * Coalesces a batch: one upsert per collection and id, the highest version, its fields laid over
 * those of the lower versions of the batch (as if they had been applied one after the other).
 * One write per document per batch also means no two writes of a batch race on one `_id`.
 */
export function coalesce(upserts: readonly VersionedUpsert[]): VersionedUpsert[] {
  const byKey = new Map<string, VersionedUpsert>();
  for (const upsert of upserts) {
    const key = `${upsert.collection}\u0000${upsert.id}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, upsert);
    } else if (upsert.version >= seen.version) {
      byKey.set(key, { ...upsert, fields: { ...seen.fields, ...upsert.fields } });
    } else {
      byKey.set(key, { ...seen, fields: { ...upsert.fields, ...seen.fields } });
    }
  }
  return [...byKey.values()];
}

/** Upserts grouped by collection, in first-seen order (one bulk write each). */
export function byCollection(upserts: readonly VersionedUpsert[]): Map<CollectionName, VersionedUpsert[]> {
  const groups = new Map<CollectionName, VersionedUpsert[]>();
  for (const upsert of upserts) {
    const group = groups.get(upsert.collection) ?? [];
    group.push(upsert);
    groups.set(upsert.collection, group);
  }
  return groups;
}
