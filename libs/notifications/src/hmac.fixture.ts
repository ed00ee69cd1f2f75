import { createHmac } from 'node:crypto';
import type { HmacSha256Hex } from './signature';

/** node:crypto's HMAC-SHA256, the reference the signature tests sign and verify with. */
export const hmacSha256Hex: HmacSha256Hex = (secret, text) => createHmac('sha256', secret).update(text).digest('hex');
