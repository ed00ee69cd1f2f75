import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { BeaconController } from './beacon.controller';
import { IngestConfigSchema } from './ingest.config';
import { OpenApiController } from './openapi.controller';

export const ingestService: ServiceDefinition<typeof IngestConfigSchema> = {
  name: 'ingest',
  configSchema: IngestConfigSchema,
  module: (context) => serviceModule(context, { controllers: [BeaconController, OpenApiController] }),
  httpBodyLimit: (config) => config.INGEST_BODY_LIMIT_BYTES,
  parseBodies: false,
  configureHttp: (fastify) => {
    // Bodies reach the controller as bytes: it answers bad JSON and media types with its own codes.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  },
};
