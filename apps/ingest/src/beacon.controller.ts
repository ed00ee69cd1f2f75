import { Controller, Headers, HttpCode, Inject, Ip, Options, Post, Query, Req, Res } from '@nestjs/common';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { takeIn, type RejectedEvent } from './beacon-intake';
import { IngestError } from './errors';
import { allowsOrigin, PropertyRegistry } from './properties';
import { BatchWriter } from './batch-writer';
import { decodeBody } from './body-decoding';

interface IngestSettings {
  INGEST_BODY_LIMIT_BYTES: number;
}


export interface BeaconAccepted {
  accepted: number;
  rejected: RejectedEvent[];
}

const JSON_TYPES = ['application/json', 'text/plain'];

/**
 * `POST /v1/beacons`: a batch of events of one view. Answers 202 only after JetStream has
 * stored the batch; 503 with Retry-After when it cannot.
 */
@Controller('v1')
export class BeaconController {
  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<IngestSettings>,
    private readonly properties: PropertyRegistry,
    private readonly writer: BatchWriter,
  ) {}

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
    if (!origin || !candidates.some((p) => allowsOrigin(p, origin))) {
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
    const property = this.properties.require(key);
    const propertyId = property.id;
    if (origin) {
      if (!allowsOrigin(property, origin)) throw new IngestError('ORIGIN_NOT_ALLOWED', `origin ${origin} may not send beacons for property ${propertyId}`);
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
    }
    const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(mediaType)) {
      throw new IngestError('UNSUPPORTED_MEDIA_TYPE', `content type must be application/json or text/plain, got "${mediaType || 'none'}"`);
    }
    const receivedAt = Date.now();
    this.writer.admit(property, receivedAt);
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
    await this.writer.write(property, beacon, { ip, userAgent, receivedAt }, 'beacon');
    this.writer.countRejected(property, rejected.length);
    return { accepted: beacon.events.length, rejected };
  }
}
