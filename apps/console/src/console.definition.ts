import { validateRule } from '@sightline/alert-rules';
import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { WatchedBucket } from '@sightline/messaging';
import type { AlertRule } from '@sightline/contracts';
import { MongoClient } from 'mongodb';
import { Access } from './access';
import { AggregateReader } from './aggregate-reader';
import { ChangesController, CONSOLE_RULES } from './changes.controller';
import { ConsoleConfigSchema } from './console.config';
import { ConsoleData } from './console-data';
import { MongoHistory } from './history';
import { registerLive } from './live';
import { OpenApiController } from './openapi';
import { QueryController } from './query.controller';
import { registerWeb } from './web';

/**
 * The Sightline Console (docs/console.md): the query API over the streams (and the MongoDB read
 * models for older history), live Server-Sent Events, and the dashboard built on them.
 */
export const consoleService: ServiceDefinition<typeof ConsoleConfigSchema> = {
  name: 'console',
  configSchema: ConsoleConfigSchema,
  module: (context) => {
    const { config, topology, jetstream, logger } = context;
    const mongo = config.MONGO_URL ? new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 5000, appName: 'sightline-console' }) : undefined;
    const reader = new AggregateReader(jetstream, topology, {
      retentionMs: config.SIGHTLINE_STREAM_MAX_AGE_HOURS * 3_600_000,
      paneHorizonMs: config.CONSOLE_PANE_HORIZON_MS,
      ...(mongo ? { history: new MongoHistory(mongo.db(config.MONGO_DB)) } : {}),
    });
    if (!config.CONSOLE_READ_TOKENS && !config.CONSOLE_ADMIN_TOKEN) logger.warn('no console token is set (CONSOLE_READ_TOKENS, CONSOLE_ADMIN_TOKEN): nobody can sign in');
    return serviceModule(context, {
      controllers: [QueryController, ChangesController, OpenApiController],
      providers: [
        { provide: Access, useValue: new Access(config) },
        { provide: AggregateReader, useValue: reader },
        ConsoleData,
        {
          provide: CONSOLE_RULES,
          useFactory: async () => {
            const rules = await WatchedBucket.open<AlertRule>(jetstream, { bucket: `${topology.namespace}-alerting-rules`, validator: { validate: validateRule }, logger });
            context.readiness.push(rules.readiness);
            return rules;
          },
        },
        { provide: 'MONGO_CLIENT', useValue: { onModuleDestroy: () => mongo?.close() } },
      ],
    });
  },
  configureHttp: (fastify, app) => {
    registerLive(fastify, app.get(Access), app.get(ConsoleData));
    registerWeb(fastify);
  },
};
