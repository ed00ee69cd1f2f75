import { COLLECTIONS } from '../collections';
import { MAX_LIMIT, type FindQuery } from './find-query';

export interface OpenAlertsParams {
  readonly propertyId: string;
  readonly limit: number;
}

/** A property's firing alerts, latest transition first. */
export function openAlertsQuery(params: OpenAlertsParams): FindQuery {
  if (!Number.isInteger(params.limit) || params.limit < 1 || params.limit > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${params.limit}`);
  }
  return {
    collection: COLLECTIONS.alerts,
    filter: { property_id: params.propertyId, state: 'firing' },
    sort: { at: -1 },
    limit: params.limit,
  };
}
