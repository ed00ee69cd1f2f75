import { QUERY_ERROR_CODES, type QueryErrorCode } from '@sightline/console-queries';
import { defineErrors, type ErrorCode } from '@sightline/service-kit';

const queryErrors = Object.fromEntries(QUERY_ERROR_CODES.map((code) => [code, { status: 400, message: 'the query is not valid' }])) as Record<QueryErrorCode, { status: 400; message: string }>;

/** The console API's error codes (docs/console.md#errors): the common ones, the query codes and these. */
export const consoleErrors = defineErrors({
  ...queryErrors,
  PROPERTY_FORBIDDEN: { status: 403, message: 'this token does not read that property' },
  ADMIN_REQUIRED: { status: 403, message: 'this change needs the admin token' },
  CSRF_HEADER_REQUIRED: { status: 403, message: 'a change made with the session cookie needs the X-Sightline-Console: 1 header' },
  NOT_FIRING: { status: 409, message: 'only a firing alert can be acknowledged' },
  INVALID_RULE: { status: 400, message: 'the alert rule is not valid' },
  HISTORY_UNAVAILABLE: { status: 503, message: 'the MongoDB read models do not answer' },
});

export type ConsoleErrorCode = ErrorCode<typeof consoleErrors>;
