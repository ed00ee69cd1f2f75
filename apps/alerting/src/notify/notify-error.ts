import { HttpException, HttpStatus } from '@nestjs/common';

/** Stable error codes of the notification API, each with its HTTP status. */
export const NotifyErrors = {
  INVALID_JSON: HttpStatus.BAD_REQUEST,
  INVALID_CHANNEL: HttpStatus.BAD_REQUEST,
  INVALID_SILENCE: HttpStatus.BAD_REQUEST,
  INVALID_QUERY: HttpStatus.BAD_REQUEST,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  ADMIN_DISABLED: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  STORE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
} as const;

export type NotifyErrorCode = keyof typeof NotifyErrors;

/** An HTTP error of the notification API: `{ code, message, field? }` (JsonErrorFilter sends it). */
export class NotifyError extends HttpException {
  constructor(code: NotifyErrorCode, message: string, details: { field?: string } = {}) {
    super({ code, message, ...details }, NotifyErrors[code]);
  }
}
