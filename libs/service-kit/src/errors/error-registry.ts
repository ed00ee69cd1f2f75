/*
 * One registry of HTTP error codes per service: the codes every service shares (COMMON_ERRORS)
 * plus its own, each with its status and default message. Usage:
 *
 *   export const ingestErrors = defineErrors({
 *     UNKNOWN_KEY: { status: 401, message: 'a valid property key is required' },
 *     RATE_LIMITED: { status: 429, message: 'too many beacons for this property' },
 *   });
 *   export type IngestErrorCode = ErrorCode<typeof ingestErrors>;
 *
 *   throw ingestErrors.error('NOT_FOUND', `no property ${id}`);           // a common code
 *   throw ingestErrors.error('RATE_LIMITED', undefined, { retry_after_s: 1 }); // default message
 *   Object.keys(ingestErrors.codes);                                      // for the OpenAPI enum
 *
 * A service cannot redefine a common code (a type error, and a throw at start-up), so a code
 * means the same status in every service.
 */
import { ServiceError, type ErrorDetails } from './service-error';

/** What a code answers: its HTTP status (400-599) and the message used when the caller gives none. */
export interface ErrorDefinition {
  readonly status: number;
  readonly message: string;
}

/** Codes shared by every Sightline service. */
export const COMMON_ERRORS = {
  INVALID_JSON: { status: 400, message: 'the body is not valid JSON' },
  INVALID_REQUEST: { status: 400, message: 'the request is not valid' },
  UNAUTHORIZED: { status: 401, message: 'a valid Authorization: Bearer token is required' },
  ADMIN_DISABLED: { status: 403, message: 'the admin API is off: no admin token is configured' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  INTERNAL: { status: 500, message: 'internal error' },
  STORE_UNAVAILABLE: { status: 503, message: 'the store is unavailable; retry later' },
  NOT_READY: { status: 503, message: 'a dependency is not usable' },
} as const satisfies Record<string, ErrorDefinition>;

export type CommonErrorCode = keyof typeof COMMON_ERRORS;

/** A service's codes: the common ones and its own. */
export interface ErrorRegistry<Code extends string> {
  /** Every code with its definition, common codes first. */
  readonly codes: Readonly<Record<Code, ErrorDefinition>>;
  /** The error to throw: `message` defaults to the code's own, `details` join the JSON body. */
  error(code: Code, message?: string, details?: ErrorDetails, options?: ErrorOptions): ServiceError<Code>;
}

/** The codes of a registry, e.g. `ErrorCode<typeof ingestErrors>`. */
export type ErrorCode<R> = R extends ErrorRegistry<infer Code> ? Code : never;

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** A registry of the common codes and `own`; throws, naming the code, when a definition is not valid. */
export function defineErrors<const Own extends Record<string, ErrorDefinition>>(
  own: Own & { readonly [K in keyof Own & CommonErrorCode]: never },
): ErrorRegistry<CommonErrorCode | (keyof Own & string)> {
  type Code = CommonErrorCode | (keyof Own & string);
  for (const [code, definition] of Object.entries(own) as [string, ErrorDefinition][]) {
    if (code in COMMON_ERRORS) {
      const common = COMMON_ERRORS[code as CommonErrorCode];
      throw new Error(`error code ${code} is a common code (status ${common.status}): use it without defining it again`);
    }
    if (!CODE_PATTERN.test(code)) throw new Error(`error code ${code} must be upper case letters, digits and _, starting with a letter`);
    if (!Number.isInteger(definition.status) || definition.status < 400 || definition.status > 599) {
      throw new Error(`error code ${code} has status ${definition.status}: an error status is an integer from 400 to 599`);
    }
  }
  const codes = { ...COMMON_ERRORS, ...own } as unknown as Readonly<Record<Code, ErrorDefinition>>;
  return {
    codes,
    error: (code, message, details, options) => {
      const definition = codes[code];
      return new ServiceError(code, definition.status, message ?? definition.message, details, options);
    },
  };
}

/** The common codes alone, for what service-kit itself answers (the admin guard, readiness, internal errors). */
export const commonErrors: ErrorRegistry<CommonErrorCode> = defineErrors({});
