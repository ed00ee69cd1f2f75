/** How a delivery attempt ended, for the retry decision. */
export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly httpStatus: number }
  /** Worth another attempt: 408, 429, 5xx, no answer. */
  | { readonly kind: 'retry'; readonly httpStatus?: number; readonly error: string }
  /** Another attempt would fail the same way: other 4xx (bad URL, bad key, payload refused). */
  | { readonly kind: 'permanent'; readonly httpStatus: number; readonly error: string };

/** Classifies the HTTP status a receiver answered. */
export function classifyStatus(httpStatus: number, detail = ''): AttemptOutcome {
  if (httpStatus >= 200 && httpStatus < 300) return { kind: 'delivered', httpStatus };
  const error = `HTTP ${httpStatus}${detail ? `: ${detail}` : ''}`;
  if (httpStatus === 408 || httpStatus === 429 || httpStatus >= 500) return { kind: 'retry', httpStatus, error };
  if (httpStatus >= 400) return { kind: 'permanent', httpStatus, error };
  // 1xx/3xx: redirects are not followed (a receiver that moved must be reconfigured).
  return { kind: 'permanent', httpStatus, error };
}

/** An attempt that got no answer (connection refused, reset, DNS, timeout): always retried. */
export function unanswered(error: string): AttemptOutcome {
  return { kind: 'retry', error };
}
