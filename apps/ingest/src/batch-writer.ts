import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { partitionOf, subjects, type Beacon, type EventBatch } from '@sightline/contracts';
import { appendEnrichment, batchMessageId, Enricher, RateLimiter, type Arrival, type PlaceFacts, type Property } from '@sightline/intake';
import { encodeJson, type AsyncPublisher } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';
import { IpDatabases } from './enrichment/ip-databases';
import { parseUserAgent } from './enrichment/user-agent';
import { ingestErrors } from './ingest-errors';
import type { IngestConfig } from './ingest.config';

/** How long a request waits for JetStream to confirm a write before answering 503. */
const PUBLISH_TIMEOUT_MS = 2000;

const NOTHING_KNOWN: PlaceFacts = Object.freeze({});
const noPlaces = (): PlaceFacts => NOTHING_KNOWN;

/**
 * The one way events enter the platform, for beacons and CMCD alike: rate limit, enrichment
 * (the full IP is used for look-ups only; the stored address is its prefix), then a publish that
 * returns only once JetStream has stored the batch.
 */
@Injectable()
export class BatchWriter implements OnApplicationShutdown {
  private readonly limiter = new RateLimiter();
  private readonly publisher: AsyncPublisher;
  private readonly enricher: Enricher;
  private readonly events: Counter<'property' | 'outcome'>;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<IngestConfig>) {
    this.publisher = context.jetstream.pipelinedPublisher(PUBLISH_TIMEOUT_MS);
    // Without the IP databases (INGEST_ENRICH off) the user agent is still parsed for enriching properties.
    this.enricher = new Enricher({ place: context.config.INGEST_ENRICH ? IpDatabases.load().place : noPlaces, device: parseUserAgent });
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
    if (wait > 0) throw ingestErrors.error('RATE_LIMITED', `property ${property.id} is over its rate limit`, { retry_after_s: wait });
  }

  countRejected(property: Property, count: number): void {
    if (count > 0) this.events.inc({ property: property.id, outcome: 'rejected' }, count);
  }

  /**
   * Stores `beacon` with its enrichment. `verbatim`, when given, is the JSON text the beacon was
   * parsed from, well-formed UTF-8 and every event of it accepted: its bytes are stored as they
   * came, the enrichment appended, rather than serialising the beacon again.
   */
  async write(property: Property, beacon: Beacon, arrival: Arrival, source: 'beacon' | 'cmcd', verbatim?: Uint8Array): Promise<void> {
    const enrichment = this.enricher.enrichment(property, arrival);
    const payload = (verbatim && appendEnrichment(verbatim, enrichment)) || encodeJson({ ...beacon, enrichment } satisfies EventBatch);
    const msgId = batchMessageId(source, property.id, beacon);
    const { topology, jetstream } = this.context;
    if (!jetstream.connected) {
      throw ingestErrors.error('STORE_UNAVAILABLE', 'the event store is unreachable; retry after the delay in Retry-After');
    }
    try {
      await this.publisher.publish(subjects.events(topology, partitionOf(topology, beacon.view_id)), payload, msgId);
    } catch (error) {
      this.context.logger.warn({ err: error, viewId: beacon.view_id }, 'JetStream did not store a batch');
      throw ingestErrors.error('STORE_UNAVAILABLE', 'the event store did not confirm the write; retry after the delay in Retry-After');
    }
    this.events.inc({ property: property.id, outcome: 'accepted' }, beacon.events.length);
  }

  /** After the HTTP server has closed, so no request is still waiting for its write. */
  onApplicationShutdown(): void {
    this.publisher.close();
  }
}
