import { ipv6Groups, isIPv4, isIPv6 } from './ip-address';

describe('IP address syntax', () => {
  it.each([
    ['203.0.113.77', true, false],
    ['0.0.0.0', true, false],
    ['256.1.1.1', false, false],
    ['01.2.3.4', false, false],
    ['1.2.3', false, false],
    ['::', false, true],
    ['::1', false, true],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', false, true],
    ['::ffff:198.51.100.9', false, true],
    ['1:2:3:4:5:6:1.2.3.4', false, true],
    ['fe80::1%eth0', false, true],
    ['1:2:3:4:5:6:7:8:9', false, false],
    ['1::2::3', false, false],
    ['12345::', false, false],
    ['not-an-ip', false, false],
    ['', false, false],
  ])('%j: IPv4 %s, IPv6 %s', (address, v4, v6) => {
    expect(isIPv4(address)).toBe(v4);
    expect(isIPv6(address)).toBe(v6);
  });

  it('expands :: into the missing groups', () => {
    expect(ipv6Groups('2001:db8::1')).toEqual(['2001', 'db8', '0', '0', '0', '0', '0', '1']);
    expect(ipv6Groups('::')).toEqual(['0', '0', '0', '0', '0', '0', '0', '0']);
  });
});
