import { streams, subjects } from '@sightline/contracts';
import { aggregatesProjection, alertsProjection, scoresProjection, type Projection } from '@sightline/read-models';
import { serviceModule, type ServiceDefinition } from '@sightline/service-kit';
import { MongoClient } from 'mongodb';
import { MongoReadModelStore } from './mongo-read-model-store';
import { ProjectorConfigSchema, retentionOf, retryPolicyOf } from './projector.config';
import { ProjectorMetrics } from './projector-metrics';
import { ProjectorRunner } from './projector.runner';
import { ProjectorStatusController } from './status.controller';
import { StreamProjector } from './stream-projector';

/** How long MongoDB operations wait for a reachable server before failing (and being retried), ms. */
const MONGO_SERVER_SELECTION_MS = 5000;

/**
 * The projector: final scores, cohort aggregates and alerts into MongoDB read models
 * (docs/read-models.md). It reads its own durable consumers, apart from the real-time path.
 */
export const projectorService: ServiceDefinition<typeof ProjectorConfigSchema> = {
  name: 'projector',
  configSchema: ProjectorConfigSchema,
  module: (context) => {
    const { config, topology, jetstream, logger } = context;
    const mongoClient = config.MONGO_URL ? new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: MONGO_SERVER_SELECTION_MS, appName: 'sightline-projector' }) : undefined;
    const store = mongoClient ? new MongoReadModelStore(mongoClient.db(config.MONGO_DB), retentionOf(config)) : undefined;
    const metrics = new ProjectorMetrics(context.metrics);
    const all = streams(topology);
    const inputs: { projection: Projection; stream: string; filterSubject: string }[] = [
      { projection: scoresProjection, stream: all.scores.name, filterSubject: subjects.scoresFinalAll(topology) },
      { projection: aggregatesProjection, stream: all.aggregates.name, filterSubject: subjects.aggregatesAll(topology) },
      { projection: alertsProjection, stream: all.alerts.name, filterSubject: subjects.alertsAll(topology) },
    ];
    const projectors = inputs.map(
      (input) =>
        new StreamProjector({
          ...input,
          connection: jetstream,
          durable: `projector-${input.projection.input}`,
          deadLetterSubject: subjects.deadLetter(topology, 'projector'),
          store,
          batchSize: config.PROJECTOR_BATCH_SIZE,
          ackWaitMs: config.SIGHTLINE_ACK_WAIT_MS,
          retry: retryPolicyOf(config),
          logger,
          metrics,
        }),
    );
    const runner = new ProjectorRunner(projectors, mongoClient, config.MONGO_DB, metrics, logger);
    return serviceModule(context, { controllers: [ProjectorStatusController], providers: [{ provide: ProjectorRunner, useValue: runner }] });
  },
};
