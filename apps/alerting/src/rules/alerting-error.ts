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

/** The admin API needs `Authorization: Bearer <ALERTING_ADMIN_TOKEN>`; without a token it is off. */
export function authorise(token: string | undefined, authorization: string | undefined): void {
  if (!token) throw new AlertingError('ADMIN_DISABLED', 'the alerting API is off: set ALERTING_ADMIN_TOKEN to enable it');
  if (authorization !== `Bearer ${token}`) throw new AlertingError('UNAUTHORIZED', 'a valid Authorization: Bearer token is required');
}
