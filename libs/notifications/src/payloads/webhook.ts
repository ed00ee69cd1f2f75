import type { Channel } from '@sightline/contracts';
import type { NotificationJob } from '../notification-job';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER, type HmacSha256Hex } from '../signature';
import type { OutboundRequest } from './outbound-request';

/**
 * A generic webhook: the alert as JSON, with `Idempotency-Key` (the delivery key), the time of
 * sending and, when the channel has a secret, its signature over both (computed with `hmac`).
 */
export function webhookRequest(channel: Channel, job: NotificationJob, nowMs: number, hmac: HmacSha256Hex): OutboundRequest {
  const body = JSON.stringify(job.alert);
  const timestampS = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    [IDEMPOTENCY_HEADER]: job.delivery_key,
    [TIMESTAMP_HEADER]: String(timestampS),
  };
  if (channel.secret) headers[SIGNATURE_HEADER] = signBody(channel.secret, timestampS, body, hmac);
  return { url: channel.url, headers, body };
}
