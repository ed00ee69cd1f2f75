import { createHmac } from 'node:crypto';
import { hmacSha256Hex } from './hmac.fixture';
import { signBody, verifySignature } from './signature';

const secret = 'whsec_0123456789abcdef';
const body = '{"alert_id":"a"}';

describe('webhook signature', () => {
  it('is v1= HMAC-SHA256 over "<timestamp>.<body>", hex', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signBody(secret, 1_700_000_000, body, hmacSha256Hex)).toBe(`v1=${expected}`);
  });

  it('verifies what it signs, within the tolerance', () => {
    const signature = signBody(secret, 1_700_000_000, body, hmacSha256Hex);
    expect(verifySignature({ secret, signature, timestamp: '1700000000', body, nowS: 1_700_000_100, toleranceS: 300 }, hmacSha256Hex)).toEqual({ ok: true });
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const signature = `v1=${'0'.repeat(64)}, ${signBody(secret, 1_700_000_000, body, hmacSha256Hex)}`;
    expect(verifySignature({ secret, signature, timestamp: '1700000000', body, nowS: 1_700_000_000, toleranceS: 300 }, hmacSha256Hex).ok).toBe(true);
  });

  it('accepts the hex digest in upper case', () => {
    const signature = `v1=${signBody(secret, 1_700_000_000, body, hmacSha256Hex).slice(3).toUpperCase()}`;
    expect(verifySignature({ secret, signature, timestamp: '1700000000', body, nowS: 1_700_000_000, toleranceS: 300 }, hmacSha256Hex)).toEqual({ ok: true });
  });

  it.each([
    ['another body', { body: '{"alert_id":"b"}' }, 'mismatch'],
    ['another secret', { secret: 'whsec_fedcba9876543210' }, 'mismatch'],
    ['another timestamp', { timestamp: '1700000001' }, 'mismatch'],
    ['an old timestamp', { nowS: 1_700_000_301 }, 'too_old'],
    ['a timestamp from the future', { nowS: 1_699_999_699 }, 'too_old'],
    ['no signature', { signature: undefined }, 'missing_headers'],
    ['a timestamp that is not a number', { timestamp: '17e8' }, 'bad_timestamp'],
    ['a truncated signature', { signature: 'v1=abcd' }, 'mismatch'],
    ['a signature with characters after the digest', { signature: `${signBody(secret, 1_700_000_000, body, hmacSha256Hex)}zz` }, 'mismatch'],
  ])('refuses %s', (_name, change, reason) => {
    const options = { secret, signature: signBody(secret, 1_700_000_000, body, hmacSha256Hex), timestamp: '1700000000', body, nowS: 1_700_000_000, toleranceS: 300, ...change };
    expect(verifySignature(options, hmacSha256Hex)).toEqual({ ok: false, reason });
  });
});
