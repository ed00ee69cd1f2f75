import { BeaconSchema } from '@sightline/contracts';
import { PropertySchema } from '@sightline/intake';
import type { IngestErrorCode } from './ingest-errors';

/** The codes ingest's routes answer, in the document's order; each is a code of `ingestErrors`. */
export const ANSWERED_CODES = [
  'INVALID_JSON',
  'INVALID_BEACON',
  'TOO_DEEP',
  'UNKNOWN_KEY',
  'UNAUTHORIZED',
  'ORIGIN_NOT_ALLOWED',
  'ADMIN_DISABLED',
  'NOT_FOUND',
  'INVALID_PROPERTY',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_EVENTS',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNSUPPORTED_ENCODING',
  'RATE_LIMITED',
  'STORE_UNAVAILABLE',
] as const satisfies readonly IngestErrorCode[];

const ErrorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: ANSWERED_CODES, description: 'Stable error code' },
    message: { type: 'string' },
    issues: { type: 'array', items: { $ref: '#/components/schemas/Issue' } },
    rejected: { type: 'array', items: { $ref: '#/components/schemas/RejectedEvent' } },
  },
};

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The OpenAPI 3.1 document of ingest's HTTP API, served at GET /v1/openapi.json. */
export function ingestOpenApi(version: string): Record<string, unknown> {
  const beacon = JSON.parse(JSON.stringify(BeaconSchema)) as unknown;
  return {
    openapi: '3.1.0',
    info: { title: 'Sightline ingest', version, description: 'Where player SDKs and devices send playback events.' },
    paths: {
      '/v1/beacons': {
        options: {
          summary: 'CORS preflight',
          responses: { '204': { description: 'The origin may send (Access-Control-Allow-* headers)' }, '403': error('ORIGIN_NOT_ALLOWED') },
        },
        post: {
          summary: 'Send a batch of events of one view',
          description:
            'Answers 202 only after JetStream has stored the batch: an accepted event is never lost. Valid events are ' +
            'accepted and invalid ones reported by index. `text/plain` bodies (what navigator.sendBeacon sends without ' +
            'a CORS preflight) are parsed as JSON. Resends are safe: an event whose (view_id, seq) was stored is dropped. Retry network ' +
            'errors, 429 and 503 with backoff; do not retry other 4xx. A rejected event leaves a gap in its view\'s sequence that holds later ' +
            'events back for 10 s: fill it with a heartbeat of the same seq. The protocol for SDK writers: docs/sdk.md.',
          parameters: [
            { name: 'key', in: 'query', required: false, schema: { type: 'string' }, description: 'Property key (or the X-Sightline-Key header)' },
            { name: 'X-Sightline-Key', in: 'header', required: false, schema: { type: 'string' } },
            {
              name: 'Content-Encoding',
              in: 'header',
              required: false,
              schema: { type: 'string', enum: ['gzip', 'deflate', 'identity'] },
              description: 'Compressed bodies; the size limit applies after decompression',
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Beacon' } }, 'text/plain': { schema: { type: 'string' } } },
          },
          responses: {
            '202': {
              description: 'Stored',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['accepted', 'rejected'],
                    properties: { accepted: { type: 'integer' }, rejected: { type: 'array', items: { $ref: '#/components/schemas/RejectedEvent' } } },
                  },
                },
              },
            },
            '400': error(
              'INVALID_JSON (not JSON, or bad compressed data), INVALID_BEACON (schema; or every event refused: wrong types, control ' +
                'characters, device time before 2000 or over 30 days ahead, repeated sequence numbers), TOO_DEEP (nested over 8 levels)',
            ),
            '401': error('UNKNOWN_KEY'),
            '403': error('ORIGIN_NOT_ALLOWED: the Origin is not among the property allowed origins'),
            '413': error('PAYLOAD_TOO_LARGE (over INGEST_BODY_LIMIT_BYTES, also after decompression) or TOO_MANY_EVENTS (over 500)'),
            '415': error('UNSUPPORTED_MEDIA_TYPE (not JSON or text/plain) or UNSUPPORTED_ENCODING'),
            '429': { ...error('RATE_LIMITED: the property is over its rate; retry after Retry-After seconds'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
            '503': { ...error('STORE_UNAVAILABLE: JetStream did not confirm the write; retry after Retry-After seconds'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
          },
        },
      },
      '/v1/cmcd': {
        options: {
          summary: 'CORS preflight (dash.js posts event-mode reports as application/cmcd)',
          responses: { '204': { description: 'The origin may send (Access-Control-Allow-* headers)' }, '403': error('ORIGIN_NOT_ALLOWED') },
        },
        post: {
          summary: 'Send CMCD data (CTA-5004): v2 event-mode reports and/or v1/v2 request-mode data',
          description:
            'Event mode: the body is a JSON object or array of objects whose keys are CMCD keys, or CMCD strings one per line. ' +
            'Request mode: the CMCD query parameter and/or the CMCD-Request, CMCD-Object, CMCD-Status and CMCD-Session headers. ' +
            'Each report becomes a view event (`sid` is the view; `sn` the sequence number, else derived from `ts` in tenths of a second; ' +
            '`e` gives the event type: a play-state report (`e=ps`) is the state change its `sta` names, `rr` a request, `bc` a rendition change, `e` an error, `t` and any other a heartbeat; ' +
            'without `e` (request mode) `sta` gives it, else a request; `br` the rendition (of a list typed by object type, `br=(2527;v 65;a)`, the video item), `pt` the playhead, `cid` the video, `st` the stream type).',
          parameters: [
            { name: 'key', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'CMCD', in: 'query', required: false, schema: { type: 'string' }, description: 'Request-mode CMCD string' },
            { name: 'CMCD-Request', in: 'header', required: false, schema: { type: 'string' } },
            { name: 'CMCD-Object', in: 'header', required: false, schema: { type: 'string' } },
            { name: 'CMCD-Status', in: 'header', required: false, schema: { type: 'string' } },
            { name: 'CMCD-Session', in: 'header', required: false, schema: { type: 'string' } },
          ],
          requestBody: {
            required: false,
            content: {
              'application/json': { schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          responses: {
            '202': { description: 'Stored; reports that could not be used are listed by index' },
            '400': error('INVALID_JSON (unreadable CMCD) or INVALID_BEACON (no data, no sid, no usable report)'),
            '401': error('UNKNOWN_KEY'),
            '403': error('ORIGIN_NOT_ALLOWED: the Origin is not among the property allowed origins'),
            '413': error('PAYLOAD_TOO_LARGE or TOO_MANY_EVENTS (over 500 reports)'),
            '429': error('RATE_LIMITED'),
            '503': error('STORE_UNAVAILABLE'),
          },
        },
      },
      '/v1/properties': {
        get: {
          summary: 'List properties',
          security: [{ admin: [] }],
          responses: {
            '200': { description: 'Every property', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Property' } } } } },
            '401': error('UNAUTHORIZED'),
            '403': error('ADMIN_DISABLED: INGEST_ADMIN_TOKEN is not set'),
          },
        },
      },
      '/v1/properties/{id}': {
        put: {
          summary: 'Create or replace a property; every ingest instance applies it at once',
          security: [{ admin: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Property' } } } },
          responses: {
            '200': { description: 'Stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/Property' } } } },
            '400': error('INVALID_PROPERTY (schema, or a key that belongs to another property)'),
            '401': error('UNAUTHORIZED'),
            '403': error('ADMIN_DISABLED'),
          },
        },
        delete: {
          summary: 'Delete a property',
          security: [{ admin: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '204': { description: 'Deleted' }, '401': error('UNAUTHORIZED'), '403': error('ADMIN_DISABLED'), '404': error('NOT_FOUND') },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'The process is alive' } } } },
      '/readyz': { get: { summary: 'Readiness', responses: { '200': { description: 'Dependencies usable' }, '503': { description: 'A dependency is not usable; the body names it' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format' } } } },
    },
    components: {
      securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'INGEST_ADMIN_TOKEN' } },
      schemas: {
        Beacon: beacon,
        Property: JSON.parse(JSON.stringify(PropertySchema)) as unknown,
        Error: ErrorBody,
        Issue: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string', description: 'JSON pointer' }, message: { type: 'string' } } },
        RejectedEvent: { type: 'object', required: ['index', 'issues'], properties: { index: { type: 'integer' }, issues: { type: 'array', items: { $ref: '#/components/schemas/Issue' } } } },
      },
    },
  };
}
