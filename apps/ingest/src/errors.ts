import { HttpException, HttpStatus } from '@nestjs/common';
import type { ValidationIssue } from '@sightline/contracts';

/** Stable error codes of the ingest HTTP API, each with its status (see the OpenAPI document). */
export const IngestErrors = {
  INVALID_JSON: HttpStatus.BAD_REQUEST,
  INVALID_BEACON: HttpStatus.BAD_REQUEST,
  TOO_DEEP: HttpStatus.BAD_REQUEST,
  UNKNOWN_KEY: HttpStatus.UNAUTHORIZED,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  ORIGIN_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  ADMIN_DISABLED: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_PROPERTY: HttpStatus.BAD_REQUEST,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  TOO_MANY_EVENTS: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UNSUPPORTED_ENCODING: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  STORE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
} as const;

export type IngestErrorCode = keyof typeof IngestErrors;

export class IngestError extends HttpException {
  constructor(code: IngestErrorCode, message: string, details: { issues?: ValidationIssue[]; rejected?: unknown[]; retry_after_s?: number } = {}) {
    super({ code, message, ...details }, IngestErrors[code]);
  }
}
