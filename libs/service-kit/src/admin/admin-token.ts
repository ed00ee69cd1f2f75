import { createHash, timingSafeEqual } from 'node:crypto';
import { commonErrors } from '../errors/error-registry';

const BEARER = /^bearer (.*)$/is;

/**
 * Checks an `Authorization` header against the admin token held by the config variable
 * `variable`: ADMIN_DISABLED (403) when no token is configured, UNAUTHORIZED (401) unless the
 * header is `Bearer <token>`. The token is compared in constant time (SHA-256 digests, which
 * are of equal length, through timingSafeEqual), so the answer's timing says nothing about it.
 */
export function requireAdminToken(variable: string, token: string | undefined, authorization: string | undefined): void {
  if (!token) throw commonErrors.error('ADMIN_DISABLED', `the admin API is off: set ${variable} to enable it`);
  const given = BEARER.exec(authorization ?? '')?.[1];
  if (given === undefined || !timingSafeEqual(digest(given), digest(token))) {
    throw commonErrors.error('UNAUTHORIZED', `a valid Authorization: Bearer <${variable}> header is required`);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
