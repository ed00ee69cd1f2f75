import { HttpException } from '@nestjs/common';

const STATUS = {
  ADMIN_DISABLED: 403,
  UNAUTHORIZED: 401,
  INVALID_RULE: 400,
  INVALID_REQUEST: 400,
  NOT_FOUND: 404,
  NOT_FIRING: 409,
} as const;

export type AlertingErrorCode = keyof typeof STATUS;

/** An API error with a stable code: `{code, message, issues?}` and its HTTP status. */
export class AlertingError extends HttpException {
  constructor(code: AlertingErrorCode, message: string, details: { issues?: unknown[] } = {}) {
    super({ code, message, ...details }, STATUS[code]);
  }
}
