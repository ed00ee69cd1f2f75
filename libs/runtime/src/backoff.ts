/**
 * Retry delays: capped exponential backoff. After failed attempt `n` (1 for the first failure)
 * the delay is at most `min(maxMs, baseMs * 2^(n-1))`, the ceiling.
 */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay, ms. */
  readonly baseMs: number;
  /** Largest delay, ms, whatever the attempt. */
  readonly maxMs: number;
}

/** The ceiling after failed attempt `attempt`: the delay itself when retries need no spreading. */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 52));
}

/**
 * Delay before the retry that follows failed attempt `attempt`, with "full jitter": uniform in
 * [0, ceiling]. Spreading retries this way keeps many clients that failed together (a receiver
 * outage) from retrying together. `random` returns a number in [0, 1), e.g. Math.random.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  return Math.floor(random() * (backoffCeilingMs(attempt, policy) + 1));
}
