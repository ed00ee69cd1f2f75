import { Type } from '@sinclair/typebox';
import { serviceConfigSchema, type ServiceSettings } from '@sightline/service-kit';

export const IngestConfigSchema = serviceConfigSchema(8081, {
  INGEST_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'bearer token of the /v1/properties API (off when unset)' })),
  INGEST_PROPERTY_KEYS: Type.String({
    default: 'demo-key=demo',
    pattern: '^[A-Za-z0-9_-]{3,128}=[a-z0-9-]{1,64}(,[A-Za-z0-9_-]{3,128}=[a-z0-9-]{1,64})*$',
    description: 'key=property pairs, comma-separated, e.g. "k3y=acme,other=beta": properties created at start if missing',
  }),
  INGEST_BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 16 * 1024 * 1024,
    default: 512 * 1024,
    description: 'largest beacon body in bytes, after gzip decompression too',
  }),
  INGEST_WORKERS: Type.Integer({ minimum: 1, maximum: 64, default: 1, description: 'worker processes sharing the HTTP port (one per core)' }),
  INGEST_ENRICH: Type.Boolean({ default: true, description: 'add device, OS, browser, country, region and ASN to each batch' }),
  INGEST_TRUSTED_PROXIES: Type.String({
    default: '',
    pattern: '^([0-9a-fA-F:./]+(,[0-9a-fA-F:./]+)*)?$',
    description:
      'addresses or CIDR blocks of the load balancers in front of ingest, comma-separated: their X-Forwarded-For gives the client IP (none when empty)',
  }),
  INGEST_RATE_LIMIT_PER_SECOND: Type.Number({ exclusiveMinimum: 0, default: 2000, description: 'default beacons a second per property, per ingest instance' }),
  INGEST_RATE_LIMIT_BURST: Type.Integer({ minimum: 1, default: 4000, description: 'default beacons a property may send at once above its rate' }),
});

export type IngestConfig = ServiceSettings<typeof IngestConfigSchema>;
