import { timingSafeEqual } from 'node:crypto';
import { NotifyError } from './notify-error';

/**
 * Checks the `Authorization` header of an admin request against `ALERTING_ADMIN_TOKEN`:
 * ADMIN_DISABLED (403) when no token is configured, UNAUTHORIZED (401) when it does not match.
 */
export function requireAdmin(token: string | undefined, authorization: string | undefined): void {
  if (!token) throw new NotifyError('ADMIN_DISABLED', 'the alerting API is off: set ALERTING_ADMIN_TOKEN to enable it');
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(authorization ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new NotifyError('UNAUTHORIZED', 'a valid Authorization: Bearer <ALERTING_ADMIN_TOKEN> header is required');
  }
}
