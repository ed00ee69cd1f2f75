/** Headers of a signed webhook request. */
export const SIGNATURE_HEADER = 'X-Sightline-Signature';
export const TIMESTAMP_HEADER = 'X-Sightline-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Version tag of the signature scheme: `v1` is HMAC-SHA256 over `<timestamp>.<body>`, hex. */
const SCHEME = 'v1';

/**
 * HMAC-SHA256 of `text` under `secret`, as lowercase hex. The platform supplies it (the alerting
 * service passes node:crypto's), so the signature scheme stays plain TypeScript.
 */
export type HmacSha256Hex = (secret: string, text: string) => string;

/**
 * The value of `X-Sightline-Signature`: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`,
 * `timestampS` being the value of `X-Sightline-Timestamp` (Unix seconds) and `body` the exact
 * bytes sent.
 */
export function signBody(secret: string, timestampS: number, body: string, hmac: HmacSha256Hex): string {
  return `${SCHEME}=${hmac(secret, signedText(timestampS, body))}`;
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
 * body (constant-time comparison of the hex digests, either case), and the timestamp is within
 * `toleranceS` of now, which bounds replays.
 */
export function verifySignature(options: VerifyOptions, hmac: HmacSha256Hex): VerifyResult {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const timestampS = Number(timestamp);
  if (Math.abs(options.nowS - timestampS) > options.toleranceS) return { ok: false, reason: 'too_old' };
  const expected = hmac(options.secret, signedText(timestampS, options.body));
  const match = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SCHEME}=`))
    .some((part) => equalInConstantTime(part.slice(SCHEME.length + 1).toLowerCase(), expected));
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}

function signedText(timestampS: number, body: string): string {
  return `${timestampS}.${body}`;
}

/** Whether two strings are equal, in a time that depends on their length only. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
