import type { Enrichment } from '@sightline/contracts';
import { truncateIp } from '../ip-prefix';
import type { Property } from '../property';
import type { DeviceFacts, EnrichmentSources, PlaceFacts } from './enrichment-sources';
import { RecentAnswers } from './recent-answers';

/** Where a beacon came from: the full client address is used for look-ups only. */
export interface Arrival {
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly receivedAt: number;
}

interface Place {
  readonly ipPrefix: string | undefined;
  readonly facts: PlaceFacts;
}

/** The longest user agent kept (`EnrichmentSchema`); longer ones are cut. */
const MAX_USER_AGENT = 512;

/**
 * The enrichment of a batch: when it arrived, for which property, the client's network prefix
 * (never the full address) and user agent, and, when the property asks for it, what the sources
 * know of the address and the device.
 */
export class Enricher {
  /** Viewers send a beacon every few seconds from one address: the last 10,000 look-ups are kept. */
  private readonly places = new RecentAnswers<Place>(10_000);
  /** Parsing is costly (regular expressions) and user agents repeat: the last 2,000 are kept. */
  private readonly devices = new RecentAnswers<DeviceFacts>(2_000);

  constructor(private readonly sources: EnrichmentSources) {}

  enrichment(property: Property, arrival: Arrival): Enrichment {
    const { ip, userAgent, receivedAt } = arrival;
    const enrich = property.enrich;
    const place = this.places.get(ip, this.lookUpPlace);
    const enrichment: Enrichment = { received_at: receivedAt, property_id: property.id };
    if (place.ipPrefix) enrichment.ip_prefix = place.ipPrefix;
    if (userAgent) {
      const agent = userAgent.slice(0, MAX_USER_AGENT);
      enrichment.user_agent = agent;
      if (enrich) Object.assign(enrichment, this.devices.get(agent, this.lookUpDevice));
    }
    if (enrich) Object.assign(enrichment, place.facts);
    return enrichment;
  }

  private readonly lookUpPlace = (ip: string): Place => ({ ipPrefix: truncateIp(ip), facts: this.sources.place(ip) });

  private readonly lookUpDevice = (userAgent: string): DeviceFacts => this.sources.device(userAgent);
}
