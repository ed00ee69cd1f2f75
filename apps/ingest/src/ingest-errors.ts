import { defineErrors, type ErrorCode } from '@sightline/service-kit';

/**
 * Ingest's HTTP error codes, each with its status (see the OpenAPI document): the common codes
 * (INVALID_JSON, UNAUTHORIZED, ADMIN_DISABLED, NOT_FOUND, STORE_UNAVAILABLE among them) and these.
 */
export const ingestErrors = defineErrors({
  INVALID_BEACON: { status: 400, message: 'the beacon does not match the v1 schema' },
  TOO_DEEP: { status: 400, message: 'the beacon nests too deep' },
  INVALID_PROPERTY: { status: 400, message: 'the property is not valid' },
  UNKNOWN_KEY: { status: 401, message: 'a valid property key is required in ?key= or the X-Sightline-Key header' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'the origin may not send beacons here' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the body is over the size limit' },
  TOO_MANY_EVENTS: { status: 413, message: 'too many events in one request' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'content type must be application/json or text/plain' },
  UNSUPPORTED_ENCODING: { status: 415, message: 'content encoding must be gzip, deflate or none' },
  RATE_LIMITED: { status: 429, message: 'the property is over its rate limit' },
});

export type IngestErrorCode = ErrorCode<typeof ingestErrors>;
