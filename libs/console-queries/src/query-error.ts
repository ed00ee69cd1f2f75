/** Codes of the query API's 400 answers (docs/console.md#errors); stable, part of the contract. */
export const QUERY_ERROR_CODES = ['INVALID_RANGE', 'RANGE_TOO_WIDE', 'UNKNOWN_METRIC', 'UNKNOWN_DIMENSION', 'INVALID_PARAMETER', 'FILTER_NOT_AGGREGATED'] as const;
export type QueryErrorCode = (typeof QUERY_ERROR_CODES)[number];

/** A query the API cannot answer as asked: its code and what to change. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: QueryErrorCode,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}
