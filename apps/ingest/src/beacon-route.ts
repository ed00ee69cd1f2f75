import type { INestApplication } from '@nestjs/common';
import { SERVICE_CONTEXT, sendJsonError, type ServiceContext } from '@sightline/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BatchWriter } from './batch-writer';
import { takeIn, type RejectedEvent } from './beacon-intake';
import { decodeBody } from './body-decoding';
import { IngestError } from './errors';
import { allowsOrigin, PropertyRegistry } from './properties';

interface IngestSettings {
  INGEST_BODY_LIMIT_BYTES: number;
}

export interface BeaconAccepted {
  accepted: number;
  rejected: RejectedEvent[];
}

const JSON_TYPES = ['application/json', 'text/plain'];

const INTAKE_ERRORS = { too_many_events: 'TOO_MANY_EVENTS', too_deep: 'TOO_DEEP', invalid: 'INVALID_BEACON' } as const;

/**
 * `POST /v1/beacons`: a batch of events of one view. Answers 202 only after JetStream has
 * stored the batch; 503 with Retry-After when it cannot.
 *
 * Served by Fastify directly rather than by a Nest controller: it is the one route under load,
 * and Nest's per-request machinery (middleware runner, parameter decorators, pipes, interceptors)
 * cost more CPU than the route's own work (see docs/ingest.md). Errors are answered by the
 * same `sendJsonError` as every Nest route, so the API looks the same.
 */
export function registerBeaconRoute(fastify: FastifyInstance, app: INestApplication): void {
  const context = app.get<ServiceContext<IngestSettings>>(SERVICE_CONTEXT);
  const properties = app.get(PropertyRegistry);
  const writer = app.get(BatchWriter);
  const bodyLimit = context.config.INGEST_BODY_LIMIT_BYTES;

  async function receive(request: FastifyRequest, reply: FastifyReply): Promise<BeaconAccepted> {
    const headers = request.headers;
    const headerKey = headers['x-sightline-key'];
    const queryKey = (request.query as Record<string, string | string[] | undefined>).key;
    const key = typeof headerKey === 'string' ? headerKey : typeof queryKey === 'string' ? queryKey : undefined;
    const property = properties.require(key);
    const origin = headers.origin;
    if (origin) {
      if (!allowsOrigin(property, origin)) throw new IngestError('ORIGIN_NOT_ALLOWED', `origin ${origin} may not send beacons for property ${property.id}`);
      void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
    }
    const mediaType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(mediaType)) {
      throw new IngestError('UNSUPPORTED_MEDIA_TYPE', `content type must be application/json or text/plain, got "${mediaType || 'none'}"`);
    }
    const receivedAt = Date.now();
    writer.admit(property, receivedAt);
    const raw = await decodeBody(request.body as Buffer | undefined, headers['content-encoding'], bodyLimit);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new IngestError('INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`);
    }
    const intake = takeIn(body, receivedAt);
    if (!intake.ok) {
      throw new IngestError(INTAKE_ERRORS[intake.reason], intake.issues[0]?.message ?? 'the beacon does not match the v1 schema', {
        issues: intake.issues,
        rejected: intake.rejected,
      });
    }
    const { beacon, rejected } = intake;
    await writer.write(property, beacon, { ip: request.ip, userAgent: headers['user-agent'], receivedAt }, 'beacon');
    writer.countRejected(property, rejected.length);
    return { accepted: beacon.events.length, rejected };
  }

  fastify.post('/v1/beacons', async (request, reply) => {
    try {
      const answer = await receive(request, reply);
      return await reply.status(202).send(answer);
    } catch (error) {
      if (!(error instanceof IngestError)) context.logger.error({ err: error }, 'beacon request failed');
      sendJsonError(reply, error);
      return reply;
    }
  });
}
