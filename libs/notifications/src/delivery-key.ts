import { createHash } from 'node:crypto';
import type { Alert } from '@sightline/contracts';

/**
 * The identity of an alert transition: its `transition_id` when the lifecycle sets one, else
 * `<alert_id>:<state>:<at>` (both stable across a replay of the alerts stream).
 */
export function transitionKeyOf(alert: Alert): string {
  return alert.transition_id ?? `${alert.alert_id}:${alert.state}:${alert.at}`;
}

/**
 * The identity of one notification, `<transition key>:<channel id>`: the `Idempotency-Key` a
 * webhook receives, the same on every attempt, after a redelivery and after a crash.
 */
export function deliveryKeyOf(alert: Alert, channelId: string): string {
  return `${transitionKeyOf(alert)}:${channelId}`;
}

/**
 * The queue job id of a delivery key. Queue job ids may not contain `:` and must stay short, so
 * the key is hashed: `n-<first 40 hex of SHA-256>`. The same key always gives the same id,
 * which is what makes a second enqueue of a notification a no-op.
 */
export function jobIdOf(deliveryKey: string): string {
  return `n-${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 40)}`;
}
