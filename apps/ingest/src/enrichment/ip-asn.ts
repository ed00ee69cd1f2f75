import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

export interface AsnInfo {
  asn: number;
  as_org: string;
}

/**
 * Autonomous system of an IPv4 address, from `@ip-location-db/asn` (Route Views and DB-IP,
 * CC BY 4.0: attribution in the README). Ranges are held in typed arrays and binary-searched.
 */
export class IpAsn {
  private constructor(
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly asns: Uint32Array,
    private readonly orgs: string[],
  ) {}

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
      orgs.push(line.slice(third + 1).replace(/^"|"$/g, '').replace(/""/g, '"'));
      n++;
    }
    return new IpAsn(starts.subarray(0, n), ends.subarray(0, n), asns.subarray(0, n), orgs);
  }

  lookup(ip: string): AsnInfo | undefined {
    const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    if (!isIPv4(address)) return undefined;
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
}
