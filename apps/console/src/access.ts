import { createHash } from 'node:crypto';
import type { ConsoleConfig } from './console.config';
import { consoleErrors } from './console-errors';

/** The session cookie: the token itself, HttpOnly (no script reads it), SameSite=Strict, never in a URL. */
export const SESSION_COOKIE = 'sightline_console';

/** Who a request is: the properties it reads (`*` all) and whether it may change things. */
export interface Principal {
  readonly properties: '*' | ReadonlySet<string>;
  readonly admin: boolean;
  /** Where the token came from: a change by cookie needs the CSRF header. */
  readonly via: 'bearer' | 'cookie';
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const BEARER = /^bearer (.+)$/is;

/**
 * The console's tokens, held as SHA-256 digests (looked up by digest, so neither a comparison's
 * timing nor a heap dump gives a token away). Read tokens are scoped to properties; the admin
 * token reads every property and may change things.
 */
export class Access {
  private readonly grants = new Map<string, { properties: '*' | ReadonlySet<string>; admin: boolean }>();

  constructor(config: Pick<ConsoleConfig, 'CONSOLE_READ_TOKENS' | 'CONSOLE_ADMIN_TOKEN'>) {
    for (const entry of config.CONSOLE_READ_TOKENS.split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.lastIndexOf('=');
      const scope = entry.slice(at + 1);
      this.grants.set(digest(entry.slice(0, at)), { properties: scope === '*' ? '*' : new Set(scope.split('|')), admin: false });
    }
    if (config.CONSOLE_ADMIN_TOKEN) this.grants.set(digest(config.CONSOLE_ADMIN_TOKEN), { properties: '*', admin: true });
  }

  get adminEnabled(): boolean {
    return [...this.grants.values()].some((g) => g.admin);
  }

  /** The principal of a token, or undefined. */
  check(token: string): Omit<Principal, 'via'> | undefined {
    return this.grants.get(digest(token));
  }

  /** The principal of a request (Authorization: Bearer, else the session cookie); UNAUTHORIZED without a valid one. */
  principalOf(headers: { authorization?: string | undefined; cookie?: string | undefined }): Principal {
    const bearer = BEARER.exec(headers.authorization ?? '')?.[1];
    const token = bearer ?? cookieValue(headers.cookie, SESSION_COOKIE);
    const grant = token === undefined ? undefined : this.check(token);
    if (!grant) throw consoleErrors.error('UNAUTHORIZED', 'sign in: an Authorization: Bearer <console token> header or the session cookie of POST /v1/session is required');
    return { ...grant, via: bearer !== undefined ? 'bearer' : 'cookie' };
  }
}

export function canRead(principal: Principal, propertyId: string): boolean {
  return principal.properties === '*' || principal.properties.has(propertyId);
}

/** PROPERTY_FORBIDDEN unless the principal reads the property. */
export function requireProperty(principal: Principal, propertyId: string | undefined): string {
  if (!propertyId) throw consoleErrors.error('INVALID_PARAMETER', 'property is required (a property id, e.g. demo)', { parameter: 'property' });
  if (!canRead(principal, propertyId)) throw consoleErrors.error('PROPERTY_FORBIDDEN', `this token does not read property ${propertyId}`);
  return propertyId;
}

/** ADMIN_REQUIRED unless admin; with the cookie, CSRF_HEADER_REQUIRED unless the request carries X-Sightline-Console: 1. */
export function requireAdmin(principal: Principal, csrfHeader: string | undefined): void {
  if (!principal.admin) throw consoleErrors.error('ADMIN_REQUIRED');
  if (principal.via === 'cookie' && csrfHeader !== '1') throw consoleErrors.error('CSRF_HEADER_REQUIRED');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
