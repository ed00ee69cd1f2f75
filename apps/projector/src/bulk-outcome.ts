/** MongoDB's duplicate-key error code. */
export const DUPLICATE_KEY = 11000;

/** What a failed unordered bulk write reported, reduced to what decides the outcome. */
export interface BulkFailure {
  readonly writeErrors: readonly { readonly index: number; readonly code: number }[];
  readonly writeConcernFailed: boolean;
}

/**
 * Reads an unordered bulk write of guarded upserts that reported errors. Duplicate-key errors
 * mean "the stored document is as new or newer" (see `guardedUpdate`), or that another writer
 * inserted the same `_id` at the same instant; those operations are returned as `duplicates`.
 * Any other error, or a write concern failure, fails the batch.
 */
export function readBulkFailure(failure: BulkFailure): { readonly duplicates: number[] } | { readonly failed: string } {
  if (failure.writeConcernFailed) return { failed: 'write concern not satisfied' };
  const other = failure.writeErrors.find((e) => e.code !== DUPLICATE_KEY);
  if (other) return { failed: `write error ${other.code} at operation ${other.index}` };
  return { duplicates: failure.writeErrors.map((e) => e.index).sort((a, b) => a - b) };
}
