/** Delays between attempts to deliver a beacon that could not be delivered. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/**
 * The wait before attempt `attempt + 1` (attempt 1 is the first retry): exponential from
 * BACKOFF_BASE_MS up to BACKOFF_MAX_MS, with "equal jitter" (half fixed, half random, so pages
 * that lost the network together do not come back together), and never less than what the
 * server asked for in Retry-After.
 */
export function retryDelayMs(attempt: number, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 20)));
  const delay = Math.round(ceiling / 2 + (random * ceiling) / 2);
  return Math.max(delay, retryAfterMs ?? 0);
}

/** Retry-After as sent (seconds, or an HTTP date), in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(seconds * 1000, 10 * 60_000));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.min(at - now, 10 * 60_000));
}
