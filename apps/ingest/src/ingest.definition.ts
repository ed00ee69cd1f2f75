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
    // Errors Fastify raises before the route (a body over the limit) get the API's JSON shape too.
    fastify.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
      const status = error.statusCode ?? 500;
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL';
      void reply.status(status).send({ code, message: status < 500 ? error.message : 'internal error' });
    });
  },
};
