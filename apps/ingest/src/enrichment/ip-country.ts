import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'mmdb-lib';

/**
 * Country of an IPv4 or IPv6 address, from the geo-whois-asn-country database shipped in
 * `@ip-location-db/geo-whois-asn-country-mmdb` (CC0-1.0); nothing is downloaded at run time.
 */
export class IpCountry {
  private constructor(private readonly reader: Reader<Response>) {}

  static load(): IpCountry {
    const file = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
    return new IpCountry(new Reader(readFileSync(file)));
  }

  lookup(ip: string): string | undefined {
    try {
      const record = this.reader.get(ip) as { country_code?: string } | null;
      return record?.country_code;
    } catch {
      return undefined;
    }
  }
}
