import { isUtf8 } from 'node:buffer';
import { Inject, Injectable } from '@nestjs/common';
import { partitionOf, subjects, type Beacon, type EventBatch } from '@sightline/contracts';
import { AsyncPublisher, encodeJson } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';
import { IpAsn } from './enrichment/ip-asn';
import { IpCountry } from './enrichment/ip-country';
import { IpRegion } from './enrichment/ip-region';
import { RecentAnswers } from './enrichment/recent-answers';
import { parseUserAgent } from './enrichment/user-agent';
import { IngestError } from './errors';
import { truncateIp } from './ip-prefix';
import type { Property } from './properties';
import { RateLimiter } from './rate-limiter';

interface WriterSettings {
  INGEST_ENRICH: boolean;
}

interface Place {
  readonly ip_prefix: string | undefined;
  /** Country, region, ASN and AS organisation, those the databases know. */
  readonly found: Partial<EventBatch['enrichment']>;
}

/** How long a request waits for JetStream to confirm a write before answering 503. */
const PUBLISH_TIMEOUT_MS = 2000;

export interface Arrival {
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly receivedAt: number;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The batch as `json` (a beacon's JSON object) with `"enrichment"` added as its last member, or
 * undefined when the text is not a well-formed UTF-8 object (the caller then serialises the
 * beacon). The beacon schema has no `enrichment` member, so the result has exactly one.
 */
export function appendEnrichment(json: Buffer, enrichment: EventBatch['enrichment']): Buffer | undefined {
  let end = json.length - 1;
  while (end >= 0 && WHITESPACE.has(json[end]!)) end--;
  if (end < 0 || json[end] !== 0x7d || !isUtf8(json)) return undefined;
  return Buffer.concat([json.subarray(0, end), Buffer.from(`,"enrichment":${JSON.stringify(enrichment)}}`)]);
}

/**
 * The one way events enter the platform, for beacons and CMCD alike: rate limit, enrichment
 * (the full IP is used for look-ups only; the stored address is its prefix), then a publish that
 * returns only once JetStream has stored the batch.
 */
@Injectable()
export class BatchWriter {
  private readonly limiter = new RateLimiter();
  private readonly publisher: AsyncPublisher;
  private readonly country: IpCountry | undefined;
  private readonly region: IpRegion | undefined;
  private readonly asn: IpAsn | undefined;
  private readonly events: Counter<'property' | 'outcome'>;
  /** Viewers send a beacon every few seconds from one address: the last 10,000 look-ups are kept. */
  private readonly places = new RecentAnswers<Place>(10_000);

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<WriterSettings>) {
    this.publisher = new AsyncPublisher(context.jetstream.nc, PUBLISH_TIMEOUT_MS);
    this.country = context.config.INGEST_ENRICH ? IpCountry.load() : undefined;
    this.region = context.config.INGEST_ENRICH ? IpRegion.load() : undefined;
    this.asn = context.config.INGEST_ENRICH ? IpAsn.load() : undefined;
    this.events = new Counter({
      name: 'sightline_ingest_events_total',
      help: 'Events received, by outcome (accepted, rejected)',
      labelNames: ['property', 'outcome'],
      registers: [context.metrics],
    });
  }

  /** Throws RATE_LIMITED when the property is over its rate. */
  admit(property: Property, now: number): void {
    const wait = this.limiter.take(property.id, now, property.rate_limit_per_second, property.rate_limit_burst);
    if (wait > 0) throw new IngestError('RATE_LIMITED', `property ${property.id} is over its rate limit`, { retry_after_s: wait });
  }

  countRejected(property: Property, count: number): void {
    if (count > 0) this.events.inc({ property: property.id, outcome: 'rejected' }, count);
  }

  /**
   * Stores `beacon` with its enrichment. `verbatim`, when given, is the JSON text the beacon was
   * parsed from, every event of it accepted: its bytes are stored as they came, the enrichment
   * appended, rather than serialising the beacon again.
   */
  async write(property: Property, beacon: Beacon, arrival: Arrival, source: 'beacon' | 'cmcd', verbatim?: Buffer): Promise<void> {
    const { ip, userAgent, receivedAt } = arrival;
    const enrich = property.enrich;
    const place = this.places.get(ip, this.lookUp);
    const enrichment: EventBatch['enrichment'] = { received_at: receivedAt, property_id: property.id };
    if (place.ip_prefix) enrichment.ip_prefix = place.ip_prefix;
    if (userAgent) {
      enrichment.user_agent = userAgent.slice(0, 512);
      if (enrich) Object.assign(enrichment, parseUserAgent(userAgent));
    }
    if (enrich) Object.assign(enrichment, place.found);
    const payload = (verbatim && appendEnrichment(verbatim, enrichment)) || encodeJson({ ...beacon, enrichment } satisfies EventBatch);
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const { seq } of beacon.events) {
      if (seq < first) first = seq;
      if (seq > last) last = seq;
    }
    const msgId = `${source}:${property.id}:${beacon.view_id}:${first}:${last}:${beacon.events.length}`;
    const { topology, jetstream } = this.context;
    if (!jetstream.connected) {
      throw new IngestError('STORE_UNAVAILABLE', 'the event store is unreachable; retry after the delay in Retry-After');
    }
    try {
      await this.publisher.publish(subjects.events(topology, partitionOf(topology, beacon.view_id)), payload, msgId);
    } catch (error) {
      this.context.logger.warn({ err: error, viewId: beacon.view_id }, 'JetStream did not store a batch');
      throw new IngestError('STORE_UNAVAILABLE', 'the event store did not confirm the write; retry after the delay in Retry-After');
    }
    this.events.inc({ property: property.id, outcome: 'accepted' }, beacon.events.length);
  }

  /** The network prefix and what the IP databases say of an address (never stored whole). */
  private readonly lookUp = (ip: string): Place => {
    const country = this.country?.lookup(ip);
    const region = this.region?.lookup(ip, country);
    const asn = this.asn?.lookup(ip);
    return {
      ip_prefix: truncateIp(ip),
      found: { ...(country ? { country } : {}), ...(region ? { region } : {}), ...(asn ?? {}) },
    };
  };
}
