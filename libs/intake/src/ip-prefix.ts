import { ipv6Groups, isIPv4, isIPv6 } from './ip-address';

/** Truncates an address to its /24 (IPv4) or /48 (IPv6) network; the full address is never kept. */
export function truncateIp(ip: string): string | undefined {
  const mapped = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(mapped)) return `${mapped.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(mapped)) {
    return `${ipv6Groups(mapped).slice(0, 3).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/48`;
  }
  return undefined;
}
