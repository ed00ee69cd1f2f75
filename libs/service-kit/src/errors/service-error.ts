/** Fields an error adds to its JSON body beside `code` and `message` (issues, field, retry_after_s...). */
export type ErrorDetails = { readonly code?: never; readonly message?: never; readonly [field: string]: unknown };

/**
 * An HTTP API error with a stable code: answered by JsonErrorFilter (and the raw routes) as
 * `status` with the body `{ code, message, ...details }`. Made by an ErrorRegistry, which
 * holds the status of each code; `cause` is logged, never sent.
 */
export class ServiceError<Code extends string = string> extends Error {
  override readonly name = 'ServiceError';

  constructor(
    readonly code: Code,
    readonly status: number,
    message: string,
    readonly details: ErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The JSON body the client gets. */
  body(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}
