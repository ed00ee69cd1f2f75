import type { Alert, Channel } from '@sightline/contracts';

/**
 * One notification to deliver: one alert transition to one channel. It is the data of a queue
 * job; `delivery_key` is its identity (the idempotency key receivers see) across retries,
 * redeliveries and crashes.
 */
export interface NotificationJob {
  readonly delivery_key: string;
  readonly channel_id: string;
  readonly alert: Alert;
}

/** What became of one delivery attempt. */
export type DeliveryStatus =
  /** The receiver answered 2xx. */
  | 'delivered'
  /** A failure worth retrying (429, 5xx, 408, network error, timeout); another attempt follows unless attempts are spent. */
  | 'failed'
  /** Given up: permanent failure or attempts spent; the job is in the dead-letter queue. */
  | 'dead'
  /** A silence matches the alert: the job waits, without spending an attempt, until `held_until`. */
  | 'held'
  /** A newer transition of the same alert already reached the channel: this older one is not sent. */
  | 'superseded';

/** One entry of the delivery log, appended for every attempt (and every hold or skip). */
export interface DeliveryRecord {
  readonly delivery_key: string;
  readonly alert_id: string;
  readonly state: Alert['state'];
  readonly channel_id: string;
  readonly channel_kind: Channel['kind'] | 'unknown';
  /** Attempt number, from 1; holds and skips carry the number the next attempt would have. */
  readonly attempt: number;
  readonly status: DeliveryStatus;
  readonly http_status?: number;
  readonly error?: string;
  readonly duration_ms: number;
  /** When the attempt ended, ms since the epoch. */
  readonly at: number;
  readonly held_until?: number;
}

/** What the dead-letter queue keeps of a notification given up on. */
export interface DeadNotification {
  readonly job: NotificationJob;
  readonly attempts: number;
  readonly last_error: string;
  readonly last_http_status?: number;
  /** ms since the epoch. */
  readonly failed_at: number;
}
