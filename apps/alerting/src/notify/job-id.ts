import { createHash } from 'node:crypto';

/**
 * The queue job id of a delivery key. BullMQ job ids may not contain `:` and must stay short, so
 * the key is hashed: `n-<first 40 hex of SHA-256>`. The same key always gives the same id,
 * which is what makes a second enqueue of a notification a no-op.
 */
export function jobIdOf(deliveryKey: string): string {
  return `n-${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 40)}`;
}
