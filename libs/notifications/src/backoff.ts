/** Retry delays: capped exponential backoff. */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay, ms. */
  readonly baseMs: number;
  /** Largest delay, ms, whatever the attempt. */
  readonly maxMs: number;
}

/**
 * Delay before the retry that follows failed attempt `attempt` (1 for the first failure), with
 * "full jitter": uniform in [0, min(maxMs, baseMs * 2^(attempt-1))]. Spreading retries this
 * way keeps many notifications that failed together (a receiver outage) from retrying
 * together. `random` returns a number in [0, 1), e.g. Math.random.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 52));
  return Math.floor(random() * (ceiling + 1));
}
