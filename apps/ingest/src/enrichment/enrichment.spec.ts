import { IpAsn, ipv6ToBigInt } from './ip-asn';
import { IpCountry } from './ip-country';
import { IpRegion } from './ip-region';
import { parseUserAgent } from './user-agent';

describe('enrichment data shipped in npm packages', () => {
  const country = IpCountry.load();
  const asn = IpAsn.load();
  const region = IpRegion.load();

  it.each([
    ['8.8.8.8', 'US', 15169],
    ['1.1.1.1', undefined, 13335],
    ['127.0.0.1', undefined, undefined],
  ])('%s is in country %s and AS %s', (ip, expectedCountry, expectedAsn) => {
    if (expectedCountry) expect(country.lookup(ip)).toBe(expectedCountry);
    expect(asn.lookup(ip)?.asn).toBe(expectedAsn);
  });

  it('finds the country and the AS of an IPv6 address', () => {
    expect(country.lookup('2001:4860:4860::8888')).toBe('US');
    expect(asn.lookup('2001:4860:4860::8888')?.asn).toBe(15169);
  });

  it.each([
    ['8.8.8.8', 'US', 'California'],
    ['81.2.69.142', 'GB', 'England'],
    ['2001:67c:2e8:22::c100:68b', 'NL', 'North Holland'],
  ])('%s is in region %s / %s', (ip, inCountry, expected) => {
    expect(region.lookup(ip, inCountry)).toBe(expected);
  });

  it('gives no region when the country look-up found none or another country', () => {
    expect(region.lookup('8.8.8.8', undefined)).toBeUndefined();
    expect(region.lookup('8.8.8.8', 'FR')).toBeUndefined();
    expect(region.lookup('127.0.0.1', 'US')).toBeUndefined();
  });

  it('reads IPv6 addresses as 128-bit integers', () => {
    expect(ipv6ToBigInt('::1')).toBe(1n);
    expect(ipv6ToBigInt('2001:db8::')).toBe(0x20010db8n << 96n);
    expect(ipv6ToBigInt('1.2.3.4')).toBeUndefined();
  });

  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', { device_type: 'mobile', os: 'iOS', browser: 'Safari' }],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', { device_type: 'desktop', os: 'Windows', browser: 'Chrome' }],
  ])('parses %s', (ua, expected) => {
    expect(parseUserAgent(ua)).toMatchObject(expected);
  });

  it('gives nothing for no user agent', () => {
    expect(parseUserAgent(undefined)).toEqual({});
  });
});
