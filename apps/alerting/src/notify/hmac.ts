import { createHmac } from 'node:crypto';
import type { HmacSha256Hex } from '@sightline/notifications';

/** node:crypto's HMAC-SHA256, with which the service signs webhooks. */
export const hmacSha256Hex: HmacSha256Hex = (secret, text) => createHmac('sha256', secret).update(text).digest('hex');
