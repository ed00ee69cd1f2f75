import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook request. */
export const SIGNATURE_HEADER = 'X-Sightline-Signature';
export const TIMESTAMP_HEADER = 'X-Sightline-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Version tag of the signature scheme: `v1` is HMAC-SHA256 over `<timestamp>.<body>`, hex. */
const SCHEME = 'v1';

/**
 * The value of `X-Sightline-Signature`: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`,
 * `timestampS` being the value of `X-Sightline-Timestamp` (Unix seconds) and `body` the exact
 * bytes sent.
 */
export function signBody(secret: string, timestampS: number, body: string): string {
  return `${SCHEME}=${hmacHex(secret, timestampS, body)}`;
}

export interface VerifyOptions {
  readonly secret: string;
  /** The `X-Sightline-Signature` header; may hold several comma-separated `v1=` values (key rotation). */
  readonly signature: string | undefined;
  /** The `X-Sightline-Timestamp` header. */
  readonly timestamp: string | undefined;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  readonly body: string;
  /** Now, Unix seconds. */
  readonly nowS: number;
  /** Largest accepted age (or clock skew) of the timestamp, seconds; 300 is usual. */
  readonly toleranceS: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'too_old' | 'mismatch' };

/**
 * Checks a received webhook, for receivers: the signature matches the secret, timestamp and
 * body (constant-time comparison), and the timestamp is within `toleranceS` of now, which
 * bounds replays.
 */
export function verifySignature(options: VerifyOptions): VerifyResult {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const timestampS = Number(timestamp);
  if (Math.abs(options.nowS - timestampS) > options.toleranceS) return { ok: false, reason: 'too_old' };
  const expected = Buffer.from(hmacHex(options.secret, timestampS, options.body), 'hex');
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SCHEME}=`))
    .map((part) => Buffer.from(part.slice(SCHEME.length + 1), 'hex'));
  const match = candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}

function hmacHex(secret: string, timestampS: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}
