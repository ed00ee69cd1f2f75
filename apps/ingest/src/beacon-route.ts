import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import proxyAddr from '@fastify/proxy-addr';
import { allowsOrigin, mayHoldControlCharacters, takeIn, wellFormedUtf8, type RejectedEvent } from '@sightline/intake';
import { SERVICE_CONTEXT, sendRawJson, sendRawJsonError, ServiceError, type RawRoute, type ServiceContext } from '@sightline/service-kit';
import { BatchWriter } from './batch-writer';
import { decodeBody } from './body-decoding';
import { ingestErrors } from './ingest-errors';
import type { IngestConfig } from './ingest.config';
import { PropertyRegistry } from './properties';

export interface BeaconAccepted {
  accepted: number;
  rejected: RejectedEvent[];
}

const PATH = '/v1/beacons';

const JSON_TYPES = ['application/json', 'text/plain'];

const INTAKE_ERRORS = { too_many_events: 'TOO_MANY_EVENTS', too_deep: 'TOO_DEEP', invalid: 'INVALID_BEACON' } as const;

/** The client went away before its body arrived: nothing to answer, nothing to store. */
class ClientGone extends Error {}

/**
 * Reads a request body of at most `limit` bytes. A declared or actual size over the limit is a
 * PAYLOAD_TOO_LARGE before more is read.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(ingestErrors.error('PAYLOAD_TOO_LARGE', `the body is ${declared} bytes; the limit is ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      request.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(ingestErrors.error('PAYLOAD_TOO_LARGE', `the body is over the limit of ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onGone = () => done(new ClientGone('the client closed the connection before its body arrived'));
    request.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/**
 * `POST /v1/beacons`: a batch of events of one view. Answers 202 only after JetStream has
 * stored the batch; 503 with Retry-After when it cannot.
 *
 * Served by node:http ahead of Fastify (a `RawRoute`): it is the one route under load, and
 * Fastify's body parsing (an AsyncResource per request) and Nest's hooks cost more CPU than the
 * route's own work (see docs/ingest.md). Errors have the same status, headers and body as every
 * Nest route; the CORS preflight and every other route stay with Nest.
 */
export function beaconRoute(app: INestApplication): RawRoute {
  const context = app.get<ServiceContext<IngestConfig>>(SERVICE_CONTEXT);
  const properties = app.get(PropertyRegistry);
  const writer = app.get(BatchWriter);
  const bodyLimit = context.config.INGEST_BODY_LIMIT_BYTES;
  const proxies = context.config.INGEST_TRUSTED_PROXIES.split(',').filter(Boolean);
  // The client as Fastify's trustProxy finds it: the nearest address that is not a trusted proxy.
  const trust = proxies.length > 0 ? proxyAddr.compile(proxies) : undefined;
  const clientIp = (request: IncomingMessage) => (trust ? proxyAddr(request, trust) : (request.socket.remoteAddress ?? ''));

  async function receive(request: IncomingMessage, query: string, corsHeaders: Record<string, string>): Promise<BeaconAccepted> {
    const headers = request.headers;
    const headerKey = headers['x-sightline-key'];
    const key = typeof headerKey === 'string' ? headerKey : (new URLSearchParams(query).get('key') ?? undefined);
    const property = properties.require(key);
    const origin = headers.origin;
    if (origin) {
      if (!allowsOrigin(property, origin)) throw ingestErrors.error('ORIGIN_NOT_ALLOWED', `origin ${origin} may not send beacons for property ${property.id}`);
      corsHeaders['access-control-allow-origin'] = origin;
      corsHeaders['vary'] = 'Origin';
      // An SDK in a page reads Retry-After of a 429 or 503 to back off as told.
      corsHeaders['access-control-expose-headers'] = 'Retry-After';
    }
    const mediaType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(mediaType)) {
      throw ingestErrors.error('UNSUPPORTED_MEDIA_TYPE', `content type must be application/json or text/plain, got "${mediaType || 'none'}"`);
    }
    const receivedAt = Date.now();
    writer.admit(property, receivedAt);
    const raw = await decodeBody(await readBody(request, bodyLimit), headers['content-encoding'], bodyLimit);
    // One pass checks and decodes; bytes that are not UTF-8 are read as a lenient decode reads them.
    const text = wellFormedUtf8(raw);
    let body: unknown;
    try {
      body = JSON.parse(text ?? raw.toString('utf8'));
    } catch (error) {
      throw ingestErrors.error('INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`);
    }
    const intake = takeIn(body, receivedAt, { controlCharacters: mayHoldControlCharacters(raw) });
    if (!intake.ok) {
      throw ingestErrors.error(INTAKE_ERRORS[intake.reason], intake.issues[0]?.message, {
        issues: intake.issues,
        rejected: intake.rejected,
      });
    }
    const { beacon, rejected } = intake;
    // With nothing rejected the beacon is the body as sent, whose bytes are stored as they are.
    const verbatim = rejected.length === 0 && text !== undefined ? raw : undefined;
    await writer.write(property, beacon, { ip: clientIp(request), userAgent: headers['user-agent'], receivedAt }, 'beacon', verbatim);
    writer.countRejected(property, rejected.length);
    return { accepted: beacon.events.length, rejected };
  }

  function serve(request: IncomingMessage, response: ServerResponse, query: string): void {
    const corsHeaders: Record<string, string> = {};
    receive(request, query, corsHeaders)
      .then((answer) => sendRawJson(response, 202, answer, corsHeaders))
      .catch((error: unknown) => {
        if (error instanceof ClientGone || response.destroyed || response.writableEnded) return;
        if (!(error instanceof ServiceError)) context.logger.error({ err: error }, 'beacon request failed');
        // A body too large to read is not read on: the connection closes after the answer.
        if (!request.complete && error instanceof ServiceError && error.status === 413) corsHeaders['connection'] = 'close';
        try {
          sendRawJsonError(response, error, corsHeaders);
        } catch (failure) {
          context.logger.error({ err: failure }, 'could not answer a beacon request');
          response.destroy();
        }
      });
  }

  return (request, response) => {
    if (request.method !== 'POST') return false;
    const url = request.url ?? '';
    const mark = url.indexOf('?');
    if ((mark < 0 ? url : url.slice(0, mark)) !== PATH) return false;
    serve(request, response, mark < 0 ? '' : url.slice(mark + 1));
    return true;
  };
}
