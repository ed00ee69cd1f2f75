import { backoffCeilingMs } from '@sightline/runtime';

/**
 * @deprecated Use `backoffCeilingMs` from `@sightline/runtime` (or a `DurableWorker`, which
 * retries by itself); kept only until the alert notifier runs on a `DurableWorker`.
 */
export function retryDelayMs(attempt: number, baseMs = 500, maxMs = 30_000): number {
  return backoffCeilingMs(Math.max(1, attempt), { baseMs, maxMs });
}
