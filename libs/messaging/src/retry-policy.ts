/** Redelivery delay after a failed attempt: exponential from `baseMs`, capped at `maxMs`. */
export function redeliveryDelayMs(deliveryCount: number, baseMs = 500, maxMs = 30_000): number {
  const exponent = Math.max(0, Math.min(deliveryCount - 1, 30));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
