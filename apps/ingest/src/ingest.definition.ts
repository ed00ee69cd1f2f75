import { seedProperties } from '@sightline/intake';
import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { BatchWriter } from './batch-writer';
import { BeaconController } from './beacon.controller';
import { beaconRoute } from './beacon-route';
import { CmcdController } from './cmcd/cmcd.controller';
import { IngestConfigSchema } from './ingest.config';
import { PropertyRegistry } from './properties';
import { PropertiesController } from './properties.controller';
import { OpenApiController } from './openapi.controller';

export const ingestService: ServiceDefinition<typeof IngestConfigSchema> = {
  name: 'ingest',
  configSchema: IngestConfigSchema,
  module: (context) =>
    serviceModule(context, {
      controllers: [BeaconController, CmcdController, PropertiesController, OpenApiController],
      providers: [
        BatchWriter,
        {
          provide: PropertyRegistry,
          useFactory: async () => {
            const registry = await PropertyRegistry.open(
              context.jetstream,
              context.topology.namespace,
              seedProperties(context.config.INGEST_PROPERTY_KEYS, {
                ratePerSecond: context.config.INGEST_RATE_LIMIT_PER_SECOND,
                burst: context.config.INGEST_RATE_LIMIT_BURST,
                enrich: context.config.INGEST_ENRICH,
              }),
              context.logger,
            );
            context.readiness.push(registry.readiness);
            return registry;
          },
        },
      ],
    }),
  // The configured limit is enforced (with the API's error body) by the controller, also after
  // decompression; Fastify's own limit only stops bodies far beyond it.
  httpBodyLimit: (config) => config.INGEST_BODY_LIMIT_BYTES * 4,
  parseBodies: false,
  trustedProxies: (config) => config.INGEST_TRUSTED_PROXIES || undefined,
  configureHttp: (fastify) => {
    // Bodies reach the routes as bytes: they answer bad JSON and media types with their own codes.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  },
  rawRoutes: beaconRoute,
};
