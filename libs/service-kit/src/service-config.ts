import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LOG_LEVELS } from '@sightline/runtime';

/** Variables every Sightline service reads. Services extend this schema with their own. */
export const ServiceConfigSchema = Type.Object({
  NATS_URL: Type.String({
    default: 'nats://127.0.0.1:4222',
    pattern: '^(nats|tls)://[^\\s,]+(,\\s*(nats|tls)://[^\\s,]+)*$',
    description: 'comma-separated nats:// or tls:// URLs',
  }),
  HTTP_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'address to listen on' }),
  HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65535, description: 'port to listen on (0 picks a free one)' }),
  SIGHTLINE_NAMESPACE: Type.String({
    default: 'sightline',
    pattern: '^[a-z][a-z0-9-]{0,31}$',
    description: 'prefix of subjects and streams: lower-case letters, digits and -',
  }),
  SIGHTLINE_PARTITIONS: Type.Integer({ minimum: 1, maximum: 1024, default: 8, description: 'partitions of per-view streams' }),
  SIGHTLINE_STREAM_MAX_AGE_HOURS: Type.Number({ exclusiveMinimum: 0, default: 168, description: 'hours streams keep messages' }),
  SIGHTLINE_ACK_WAIT_MS: Type.Integer({
    minimum: 1000,
    default: 30_000,
    description: 'ms before an unacknowledged message is redelivered (how long a crashed instance holds its messages)',
  }),
  SIGHTLINE_LEASE_TTL_MS: Type.Integer({
    minimum: 500,
    default: 10_000,
    description: 'ms a dead instance keeps its partitions before another takes them over',
  }),
  SIGHTLINE_TICK_INTERVAL_MS: Type.Integer({
    minimum: 100,
    default: 1000,
    description: 'ms of silence after which a partition owner publishes a tick so time advances',
  }),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});

export type ServiceConfig = Static<typeof ServiceConfigSchema>;

/**
 * A service's settings typed from its config schema, so that renaming a variable breaks every
 * reader at compile time: `ServiceContext<ServiceSettings<typeof IngestConfigSchema>>`. A schema
 * built by `serviceConfigSchema` includes the variables every service reads.
 */
export type ServiceSettings<S extends TSchema> = Static<S>;

/** The base schema with a service's own variables and its default port. */
export function serviceConfigSchema<P extends Parameters<typeof Type.Object>[0]>(defaultPort: number, own: P) {
  return Type.Composite([
    Type.Object({ ...ServiceConfigSchema.properties, HTTP_PORT: Type.Integer({ ...ServiceConfigSchema.properties.HTTP_PORT, default: defaultPort }) }),
    Type.Object(own),
  ]);
}
