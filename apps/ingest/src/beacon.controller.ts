import { Controller, Headers, HttpCode, Inject, Ip, Options, Post, Query, Req, Res } from '@nestjs/common';
import { partitionOf, subjects, type EventBatch } from '@sightline/contracts';
import { AsyncPublisher, encodeJson } from '@sightline/messaging';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { takeIn, type RejectedEvent } from './beacon-intake';
import { IngestError } from './errors';
import { PropertyRegistry, type Property } from './properties';
import { decodeBody } from './body-decoding';
import { IpAsn } from './enrichment/ip-asn';
import { IpCountry } from './enrichment/ip-country';
import { parseUserAgent } from './enrichment/user-agent';
import { truncateIp } from './ip-prefix';
import { RateLimiter } from './rate-limiter';

interface IngestSettings {
  INGEST_BODY_LIMIT_BYTES: number;
  INGEST_ENRICH: boolean;
}

function originAllowed(property: Property, origin: string): boolean {
  return property.allowed_origins.includes('*') || property.allowed_origins.includes(origin);
}

export interface BeaconAccepted {
  accepted: number;
  rejected: RejectedEvent[];
}

const JSON_TYPES = ['application/json', 'text/plain'];

/** How long a request waits for JetStream to confirm a write before answering 503. */
const PUBLISH_TIMEOUT_MS = 2000;

/**
 * `POST /v1/beacons`: a batch of events of one view. Answers 202 only after JetStream has
 * stored the batch; 503 with Retry-After when it cannot.
 */
@Controller('v1')
export class BeaconController {
  private readonly limiter = new RateLimiter();
  private readonly publisher: AsyncPublisher;
  private readonly country: IpCountry | undefined;
  private readonly asn: IpAsn | undefined;
  private readonly events: Counter<'property' | 'outcome'>;

  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<IngestSettings>,
    private readonly properties: PropertyRegistry,
  ) {
    this.publisher = new AsyncPublisher(context.jetstream.nc, PUBLISH_TIMEOUT_MS);
    // The full address is used for these look-ups only; what is stored is the truncated prefix.
    this.country = context.config.INGEST_ENRICH ? IpCountry.load() : undefined;
    this.asn = context.config.INGEST_ENRICH ? IpAsn.load() : undefined;
    this.events = new Counter({
      name: 'sightline_ingest_events_total',
      help: 'Events received, by outcome (accepted, rejected)',
      labelNames: ['property', 'outcome'],
      registers: [context.metrics],
    });
  }

  /** CORS preflight: allowed when the key's property (or, without a key, any property) allows the origin. */
  @Options('beacons')
  @HttpCode(204)
  preflight(
    @Query('key') queryKey: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    const property = queryKey ? this.properties.forKey(queryKey) : undefined;
    const candidates = property ? [property] : this.properties.list();
    if (!origin || !candidates.some((p) => originAllowed(p, origin))) {
      throw new IngestError('ORIGIN_NOT_ALLOWED', `origin ${origin ?? '(none)'} may not send beacons here`);
    }
    void reply
      .header('Access-Control-Allow-Origin', origin)
      .header('Vary', 'Origin')
      .header('Access-Control-Allow-Methods', 'POST')
      .header('Access-Control-Allow-Headers', 'content-type, content-encoding, x-sightline-key')
      .header('Access-Control-Max-Age', '600');
  }

  @Post('beacons')
  @HttpCode(202)
  async receive(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('origin') origin: string | undefined,
    @Query('key') queryKey: string | undefined,
    @Headers('x-sightline-key') headerKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('user-agent') userAgent: string | undefined,
    @Ip() ip: string,
  ): Promise<BeaconAccepted> {
    const key = headerKey ?? queryKey;
    const property = key ? this.properties.forKey(key) : undefined;
    if (!property) throw new IngestError('UNKNOWN_KEY', 'a valid property key is required in ?key= or the X-Sightline-Key header');
    const propertyId = property.id;
    if (origin) {
      if (!originAllowed(property, origin)) throw new IngestError('ORIGIN_NOT_ALLOWED', `origin ${origin} may not send beacons for property ${propertyId}`);
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
    }
    const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(mediaType)) {
      throw new IngestError('UNSUPPORTED_MEDIA_TYPE', `content type must be application/json or text/plain, got "${mediaType || 'none'}"`);
    }
    const receivedAt = Date.now();
    const wait = this.limiter.take(propertyId, receivedAt, property.rate_limit_per_second, property.rate_limit_burst);
    if (wait > 0) throw new IngestError('RATE_LIMITED', `property ${propertyId} is over its rate limit`, { retry_after_s: wait });
    const raw = await decodeBody(request.body as Buffer | undefined, request.headers['content-encoding'], this.context.config.INGEST_BODY_LIMIT_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new IngestError('INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`);
    }
    const intake = takeIn(body, receivedAt);
    if (!intake.ok) {
      const code = intake.reason === 'too_many_events' ? 'TOO_MANY_EVENTS' : intake.reason === 'too_deep' ? 'TOO_DEEP' : 'INVALID_BEACON';
      throw new IngestError(code, intake.issues[0]?.message ?? 'the beacon does not match the v1 schema', { issues: intake.issues, rejected: intake.rejected });
    }
    const { beacon, rejected } = intake;
    const ipPrefix = truncateIp(ip);
    const enrich = property.enrich;
    const country = enrich ? this.country?.lookup(ip) : undefined;
    const asn = enrich ? this.asn?.lookup(ip) : undefined;
    const batch: EventBatch = {
      ...beacon,
      enrichment: {
        received_at: receivedAt,
        property_id: propertyId,
        ...(ipPrefix ? { ip_prefix: ipPrefix } : {}),
        ...(userAgent ? { user_agent: userAgent.slice(0, 512), ...(enrich ? parseUserAgent(userAgent) : {}) } : {}),
        ...(country ? { country } : {}),
        ...(asn ?? {}),
      },
    };
    const seqs = beacon.events.map((e) => e.seq);
    const msgId = `beacon:${propertyId}:${beacon.view_id}:${Math.min(...seqs)}:${Math.max(...seqs)}:${seqs.length}`;
    const { topology, jetstream } = this.context;
    if (!jetstream.connected) {
      throw new IngestError('STORE_UNAVAILABLE', 'the event store is unreachable; retry after the delay in Retry-After');
    }
    try {
      await this.publisher.publish(subjects.events(topology, partitionOf(topology, beacon.view_id)), encodeJson(batch), msgId);
    } catch (error) {
      this.context.logger.warn({ err: error, viewId: beacon.view_id }, 'JetStream did not store a beacon');
      throw new IngestError('STORE_UNAVAILABLE', 'the event store did not confirm the write; retry after the delay in Retry-After');
    }
    this.events.inc({ property: propertyId, outcome: 'accepted' }, beacon.events.length);
    if (rejected.length > 0) this.events.inc({ property: propertyId, outcome: 'rejected' }, rejected.length);
    return { accepted: beacon.events.length, rejected };
  }
}
