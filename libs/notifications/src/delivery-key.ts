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
