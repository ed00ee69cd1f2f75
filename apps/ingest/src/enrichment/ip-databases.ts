import type { EnrichmentSources } from '@sightline/intake';
import { IpAsn } from './ip-asn';
import { IpCountry } from './ip-country';
import { IpRegion } from './ip-region';

/** The enricher's place look-up: country, region and AS from the databases shipped in npm packages. */
export class IpDatabases {
  private constructor(
    private readonly country: IpCountry,
    private readonly region: IpRegion,
    private readonly asn: IpAsn,
  ) {}

  static load(): IpDatabases {
    return new IpDatabases(IpCountry.load(), IpRegion.load(), IpAsn.load());
  }

  readonly place: EnrichmentSources['place'] = (ip) => {
    const country = this.country.lookup(ip);
    const region = this.region.lookup(ip, country);
    const asn = this.asn.lookup(ip);
    return { ...(country ? { country } : {}), ...(region ? { region } : {}), ...(asn ?? {}) };
  };
}
