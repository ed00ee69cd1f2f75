import { ServiceError } from '../errors/service-error';
import { requireAdminToken } from './admin-token';

const TOKEN = 'a-token-of-sixteen-chars';

/** What `requireAdminToken` answers: 'ok', or the code and status of the error it throws. */
function outcome(token: string | undefined, authorization: string | undefined): string {
  try {
    requireAdminToken('TEST_ADMIN_TOKEN', token, authorization);
    return 'ok';
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return `${error.status} ${error.code}: ${error.message}`;
  }
}

const DISABLED = '403 ADMIN_DISABLED: the admin API is off: set TEST_ADMIN_TOKEN to enable it';
const UNAUTHORIZED = '401 UNAUTHORIZED: a valid Authorization: Bearer <TEST_ADMIN_TOKEN> header is required';

describe('requireAdminToken', () => {
  it.each([
    ['no token configured, no header', undefined, undefined, DISABLED],
    ['no token configured, a header', undefined, `Bearer ${TOKEN}`, DISABLED],
    ['an empty token configured', '', 'Bearer ', DISABLED],
    ['missing header', TOKEN, undefined, UNAUTHORIZED],
    ['empty header', TOKEN, '', UNAUTHORIZED],
    ['the token without its scheme', TOKEN, TOKEN, UNAUTHORIZED],
    ['another scheme', TOKEN, `Basic ${TOKEN}`, UNAUTHORIZED],
    ['wrong token of the same length', TOKEN, `Bearer ${TOKEN.slice(0, -1)}X`, UNAUTHORIZED],
    ['wrong length: a prefix of the token', TOKEN, `Bearer ${TOKEN.slice(0, 8)}`, UNAUTHORIZED],
    ['wrong length: the token and more', TOKEN, `Bearer ${TOKEN}x`, UNAUTHORIZED],
    ['wrong length: an empty token', TOKEN, 'Bearer ', UNAUTHORIZED],
    ['right token', TOKEN, `Bearer ${TOKEN}`, 'ok'],
    ['right token, scheme in lower case', TOKEN, `bearer ${TOKEN}`, 'ok'],
  ])('%s', (_case, token, authorization, expected) => {
    expect(outcome(token, authorization)).toBe(expected);
  });
});
