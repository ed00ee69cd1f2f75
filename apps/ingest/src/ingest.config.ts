import { Type } from '@sinclair/typebox';
import { serviceConfigSchema } from '@sightline/service-kit';

export const IngestConfigSchema = serviceConfigSchema(8081, {
  INGEST_PROPERTY_KEYS: Type.String({
    default: 'demo-key=demo',
    pattern: '^[A-Za-z0-9_-]{3,128}=[a-z0-9-]{1,64}(,[A-Za-z0-9_-]{3,128}=[a-z0-9-]{1,64})*$',
    description: 'comma-separated key=property pairs, e.g. "k3y=acme,other=beta"',
  }),
  INGEST_BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 16 * 1024 * 1024,
    default: 512 * 1024,
    description: 'largest beacon body in bytes, after gzip decompression too',
  }),
  INGEST_WORKERS: Type.Integer({ minimum: 1, maximum: 64, default: 1, description: 'worker processes sharing the HTTP port (one per core)' }),
  INGEST_ENRICH: Type.Boolean({ default: true, description: 'add device, OS, browser, country and ASN to each batch' }),
  INGEST_RATE_LIMIT_PER_SECOND: Type.Number({ exclusiveMinimum: 0, default: 2000, description: 'beacons a second per property, per ingest instance' }),
  INGEST_RATE_LIMIT_BURST: Type.Integer({ minimum: 1, default: 4000, description: 'beacons a property may send at once above its rate' }),
});

/** Parses `key=property,...` into a map from key to property id. */
export function parsePropertyKeys(spec: string): Map<string, string> {
  return new Map(spec.split(',').map((pair) => pair.split('=') as [string, string]));
}
