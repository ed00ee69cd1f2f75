import { allowsOrigin, checkProperty, parseProperty, seedProperties } from './property';

describe('properties', () => {
  it('fills the defaults of a property document', () => {
    expect(parseProperty({ id: 'acme', keys: ['acme-key'] })).toEqual({
      id: 'acme',
      keys: ['acme-key'],
      allowed_origins: ['*'],
      rate_limit_per_second: 2000,
      rate_limit_burst: 4000,
      enrich: true,
    });
  });

  it.each([
    ['no keys', { id: 'acme', keys: [] }, /keys/],
    ['a bad origin', { id: 'acme', keys: ['acme-key'], allowed_origins: ['ftp://x'] }, /allowed_origins/],
    ['an unknown member', { id: 'acme', keys: ['acme-key'], colour: 'red' }, /colour/],
  ])('refuses %s with the reason', (_name, value, reason) => {
    expect(() => parseProperty(value)).toThrow(reason);
  });

  it('checks a document without changing it, giving the issues by field', () => {
    const value = { id: 'acme', keys: ['acme-key'] };
    expect(checkProperty(value)).toEqual({ ok: true, value: parseProperty(value) });
    expect(value).toEqual({ id: 'acme', keys: ['acme-key'] });
    expect(checkProperty({ id: 'Acme', keys: ['acme-key'] })).toMatchObject({ ok: false, issues: [{ path: '/id' }] });
  });

  it('allows the listed origins, or any with *', () => {
    const listed = parseProperty({ id: 'a', keys: ['a-key'], allowed_origins: ['https://player.example'] });
    expect(allowsOrigin(listed, 'https://player.example')).toBe(true);
    expect(allowsOrigin(listed, 'https://evil.example')).toBe(false);
    expect(allowsOrigin(parseProperty({ id: 'b', keys: ['b-key'] }), 'https://any.example')).toBe(true);
  });

  it('seeds one property per id, its keys grouped', () => {
    const seeded = seedProperties('k1-key=acme,k2-key=beta,k3-key=acme', { ratePerSecond: 5, burst: 10, enrich: false });
    expect(seeded.map((p) => [p.id, p.keys, p.rate_limit_per_second, p.rate_limit_burst, p.enrich])).toEqual([
      ['acme', ['k1-key', 'k3-key'], 5, 10, false],
      ['beta', ['k2-key'], 5, 10, false],
    ]);
  });
});
