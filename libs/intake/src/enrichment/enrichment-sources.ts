import type { Enrichment } from '@sightline/contracts';

/** What the IP databases know of a client address: country, region, AS and its organisation. */
export type PlaceFacts = Pick<Enrichment, 'country' | 'region' | 'asn' | 'as_org'>;

/** What a user agent says of the device: its type, OS and browser. */
export type DeviceFacts = Pick<Enrichment, 'device_type' | 'os' | 'os_version' | 'browser' | 'browser_version'>;

/**
 * The look-ups enrichment needs, answered by adapters (IP databases, a user-agent parser). The
 * enricher keeps recent answers, so each is asked once per distinct question, not per beacon.
 * Answers hold only the members found, each within its length limit in `EnrichmentSchema`.
 */
export interface EnrichmentSources {
  /** What is known of a full client address; the address itself is never stored. */
  place(ip: string): PlaceFacts;
  /** What a user agent of at most 512 characters says of the device. */
  device(userAgent: string): DeviceFacts;
}
