import { Access, canRead, cookieValue, requireAdmin, requireProperty } from './access';

describe('console access', () => {
  const access = new Access({ CONSOLE_READ_TOKENS: 'read-token-of-shop-1=shop|news, read-token-of-all-01=*', CONSOLE_ADMIN_TOKEN: 'admin-token-00000001' });

  it('scopes a read token to its properties, from the bearer header or the session cookie', () => {
    const shop = access.principalOf({ authorization: 'Bearer read-token-of-shop-1' });
    expect([canRead(shop, 'shop'), canRead(shop, 'news'), canRead(shop, 'other'), shop.admin, shop.via]).toEqual([true, true, false, false, 'bearer']);
    expect(() => requireProperty(shop, 'other')).toThrow(expect.objectContaining({ code: 'PROPERTY_FORBIDDEN' }));
    expect(() => requireProperty(shop, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    const viaCookie = access.principalOf({ cookie: 'a=b; sightline_console=read-token-of-all-01' });
    expect([canRead(viaCookie, 'anything'), viaCookie.via]).toEqual([true, 'cookie']);
  });

  it('refuses a missing or unknown token, and changes without the admin token or, by cookie, without the CSRF header', () => {
    expect(() => access.principalOf({})).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(() => access.principalOf({ authorization: 'Bearer read-token-of-shop-2' })).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(() => requireAdmin(access.principalOf({ authorization: 'Bearer read-token-of-shop-1' }), '1')).toThrow(expect.objectContaining({ code: 'ADMIN_REQUIRED' }));
    const admin = access.principalOf({ cookie: 'sightline_console=admin-token-00000001' });
    expect(() => requireAdmin(admin, undefined)).toThrow(expect.objectContaining({ code: 'CSRF_HEADER_REQUIRED' }));
    expect(() => requireAdmin(admin, '1')).not.toThrow();
    expect(() => requireAdmin(access.principalOf({ authorization: 'bearer admin-token-00000001' }), undefined)).not.toThrow();
  });

  it('reads a cookie among others, and none from a bad encoding', () => {
    expect(cookieValue('x=1; sightline_console=a%20b', 'sightline_console')).toBe('a b');
    expect(cookieValue('sightline_console=%E0%A4%A', 'sightline_console')).toBeUndefined();
    expect(cookieValue(undefined, 'sightline_console')).toBeUndefined();
  });
});
