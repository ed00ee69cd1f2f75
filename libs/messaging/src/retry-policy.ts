/** Delay before retrying a failed handler call: exponential from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(attempt: number, baseMs = 500, maxMs = 30_000): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
