import type { CollectionName } from '../collections';

/** A MongoDB `find` as plain data. */
export interface FindQuery {
  readonly collection: CollectionName;
  readonly filter: Readonly<Record<string, unknown>>;
  readonly sort: Readonly<Record<string, 1 | -1>>;
  readonly limit: number;
  readonly projection?: Readonly<Record<string, 0 | 1>>;
}

/** A MongoDB `aggregate` as plain data. */
export interface AggregateQuery {
  readonly collection: CollectionName;
  readonly pipeline: readonly Readonly<Record<string, unknown>>[];
}

/** A time range, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export const MAX_LIMIT = 1000;

/** Checks a range and a limit eagerly, with messages that say how to fix the call. */
export function checkRangeAndLimit(range: TimeRange, limit: number): void {
  if (!(range.from instanceof Date) || !(range.to instanceof Date) || Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime())) {
    throw new RangeError('from and to must be valid Dates');
  }
  if (range.from >= range.to) throw new RangeError(`from (${range.from.toISOString()}) must be before to (${range.to.toISOString()})`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`);
}
