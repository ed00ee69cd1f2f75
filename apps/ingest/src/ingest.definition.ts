import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { BeaconController } from './beacon.controller';
import { IngestConfigSchema } from './ingest.config';
import { OpenApiController } from './openapi.controller';

export const ingestService: ServiceDefinition<typeof IngestConfigSchema> = {
  name: 'ingest',
  configSchema: IngestConfigSchema,
  module: (context) => serviceModule(context, { controllers: [BeaconController, OpenApiController] }),
  // The configured limit is enforced (with the API's error body) by the controller, also after
  // decompression; Fastify's own limit only stops bodies far beyond it.
  httpBodyLimit: (config) => config.INGEST_BODY_LIMIT_BYTES * 4,
  parseBodies: false,
  configureHttp: (fastify) => {
    // Bodies reach the controller as bytes: it answers bad JSON and media types with its own codes.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  },
};
