import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { ipv6Groups } from '@sightline/intake';

export interface AsnInfo {
  asn: number;
  as_org: string;
}

/** IPv6 ranges: 128-bit bounds as BigInts, searched the same way. */
interface V6Table {
  readonly starts: bigint[];
  readonly ends: bigint[];
  readonly asns: Uint32Array;
  readonly orgs: string[];
}

/** An IPv6 address as a 128-bit integer, or undefined when it is not one. */
export function ipv6ToBigInt(address: string): bigint | undefined {
  if (!isIPv6(address) || address.includes('.')) return undefined;
  return ipv6Groups(address).reduce((acc, group) => (acc << 16n) + BigInt(Number.parseInt(group || '0', 16)), 0n);
}

const unquote = (text: string) => text.replace(/^"|"$/g, '').replace(/""/g, '"');

/**
 * Autonomous system of an IPv4 or IPv6 address, from `@ip-location-db/asn` (Route Views and
 * DB-IP, CC BY 4.0: attribution in the README). Ranges are binary-searched.
 */
export class IpAsn {
  private constructor(
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly asns: Uint32Array,
    private readonly orgs: string[],
    private readonly v6: V6Table,
  ) {}

  private static loadV6(): V6Table {
    const lines = readFileSync(require.resolve('@ip-location-db/asn/asn-ipv6-num.csv'), 'utf8').split('\n');
    const starts: bigint[] = [];
    const ends: bigint[] = [];
    const asns = new Uint32Array(lines.length);
    const orgs: string[] = [];
    for (const line of lines) {
      const [start, end, asn, ...org] = line.split(',');
      if (!start || !end || !asn) continue;
      asns[starts.length] = Number(asn);
      starts.push(BigInt(start));
      ends.push(BigInt(end));
      orgs.push(unquote(org.join(',')));
    }
    return { starts, ends, asns: asns.subarray(0, starts.length), orgs };
  }

  static load(): IpAsn {
    const text = readFileSync(require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'), 'utf8');
    const lines = text.split('\n');
    const starts = new Uint32Array(lines.length);
    const ends = new Uint32Array(lines.length);
    const asns = new Uint32Array(lines.length);
    const orgs: string[] = [];
    let n = 0;
    for (const line of lines) {
      const first = line.indexOf(',');
      const second = line.indexOf(',', first + 1);
      const third = line.indexOf(',', second + 1);
      if (third < 0) continue;
      starts[n] = Number(line.slice(0, first));
      ends[n] = Number(line.slice(first + 1, second));
      asns[n] = Number(line.slice(second + 1, third));
      orgs.push(unquote(line.slice(third + 1)));
      n++;
    }
    return new IpAsn(starts.subarray(0, n), ends.subarray(0, n), asns.subarray(0, n), orgs, IpAsn.loadV6());
  }

  lookup(ip: string): AsnInfo | undefined {
    const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    if (!isIPv4(address)) return this.lookupV6(address);
    const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! > value) hi = mid - 1;
      else if (this.ends[mid]! < value) lo = mid + 1;
      else return { asn: this.asns[mid]!, as_org: this.orgs[mid]!.slice(0, 128) };
    }
    return undefined;
  }

  private lookupV6(address: string): AsnInfo | undefined {
    const value = ipv6ToBigInt(address);
    if (value === undefined) return undefined;
    const { starts, ends, asns, orgs } = this.v6;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! > value) hi = mid - 1;
      else if (ends[mid]! < value) lo = mid + 1;
      else return { asn: asns[mid]!, as_org: orgs[mid]!.slice(0, 128) };
    }
    return undefined;
  }
}
