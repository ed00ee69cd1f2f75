import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type as NestType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Static, TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createTopology, streams } from '@sightline/contracts';
import { connectJetStream, ensureStreams, serverAtLeast, type Stage } from '@sightline/messaging';
import { createLogger, loadConfig, type LogLevel } from '@sightline/runtime';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { JsonErrorFilter } from './http-exception.filter';
import { NestJsonLogger } from './nest-logger';
import { StageRunner } from './stage-runner';
import { ObservabilityController } from './observability.controller';
import type { RawRoute } from './raw-http';
import type { ServiceConfig } from './service-config';
import { SERVICE_CONTEXT, type ServiceContext } from './service-context';

export interface ServiceDefinition<S extends TObject> {
  /** Service name, used in logs, metrics and as the NATS client name. */
  readonly name: string;
  /** Configuration schema, built with `serviceConfigSchema`. */
  readonly configSchema: S;
  /** The service's own Nest module (controllers and handlers), built from its context. */
  module(context: ServiceContext<Static<S> & ServiceConfig>): DynamicModule | NestType<unknown>;
  /**
   * The service's stages (`keyedStage`, `statelessStage` from @sightline/messaging), each run on
   * the exactly-once core as a consumer group that the service's instances share. Built once the
   * module is up: what they read (e.g. a watched store) may come from `app`'s providers.
   */
  stages?(context: ServiceContext<Static<S> & ServiceConfig>, app: INestApplication): Stage[];
  /** Largest request body the HTTP server accepts, bytes. Default 1 MiB. */
  httpBodyLimit?(config: Static<S> & ServiceConfig): number;
  /**
   * Proxies whose X-Forwarded-For names the client (Fastify's `trustProxy`: addresses or CIDR
   * blocks, comma-separated); none by default.
   */
  trustedProxies?(config: Static<S> & ServiceConfig): string | undefined;
  /** false: Nest parses no request bodies; `configureHttp` registers the service's own parsers. */
  readonly parseBodies?: boolean;
  /**
   * Adjusts the Fastify instance (content-type parsers, hooks, routes served without Nest's
   * per-request machinery, whose providers come from `app`) before routes are served.
   */
  configureHttp?(fastify: FastifyInstance, app: INestApplication): void;
  /**
   * Routes answered by node:http before Fastify (see `RawRoute`), whose providers come from
   * `app`. Requests they do not take go to Fastify as usual.
   */
  rawRoutes?(app: INestApplication): RawRoute;
}

/** Longest path parameter, characters (an alert id, a view id). */
const MAX_PARAM_LENGTH = 1024;

/** Fastify's own default; Node's 5 s drops idle SDK connections between beacons. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export interface RunningService {
  readonly app: INestApplication;
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:8081`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a service: validates its configuration, connects to JetStream, provisions the
 * platform's streams, then serves HTTP (health, readiness, metrics and the service's own routes)
 * and runs its durable consumers. Configuration comes from `env`.
 */
export async function runService<S extends TObject>(definition: ServiceDefinition<S>, env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(definition.configSchema, env) as Static<S> & ServiceConfig;
  const logger = createLogger(definition.name, config.LOG_LEVEL as LogLevel);
  const topology = createTopology(config.SIGHTLINE_NAMESPACE, config.SIGHTLINE_PARTITIONS);
  let jetstream;
  try {
    jetstream = await connectJetStream({ servers: config.NATS_URL, name: definition.name });
  } catch (error) {
    throw new Error(`cannot connect to NATS at ${config.NATS_URL} (NATS_URL): ${(error as Error).message}`, { cause: error });
  }
  logger.info({ nats: config.NATS_URL, serverVersion: jetstream.serverVersion }, 'connected to NATS');
  if (!serverAtLeast(jetstream.serverVersion, 2, 9)) {
    await jetstream.drain();
    throw new Error(`NATS ${jetstream.serverVersion} at ${config.NATS_URL} is too old: Sightline needs JetStream from NATS 2.9 or later`);
  }
  await ensureStreams(jetstream, Object.values(streams(topology)), {
    maxAgeMs: config.SIGHTLINE_STREAM_MAX_AGE_HOURS * 3600 * 1000,
  });

  const metrics = new Registry();
  metrics.setDefaultLabels({ service: definition.name });
  collectDefaultMetrics({ register: metrics });
  const context: ServiceContext<Static<S> & ServiceConfig> = {
    name: definition.name,
    config,
    topology,
    jetstream,
    logger,
    metrics,
    readiness: [
      {
        name: 'nats',
        check: () => {
          const state = jetstream.state;
          if (state === 'closed') throw new Error('connection closed');
          if (state === 'draining') throw new Error('connection draining');
          if (state === 'reconnecting') throw new Error('disconnected; reconnecting');
        },
      },
    ],
  };

  @Module({
    imports: [definition.module(context)],
    controllers: [ObservabilityController],
    providers: [{ provide: SERVICE_CONTEXT, useValue: context }],
  })
  class ServiceRootModule {}

  // Filled once the app exists: raw routes take their providers from it.
  const raw: { route?: RawRoute } = {};
  const app = await NestFactory.create<NestFastifyApplication>(
    ServiceRootModule,
    new FastifyAdapter({
      serverFactory: (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void) => {
        const server = createServer((request, response) => {
          if (!raw.route?.(request, response)) fastifyHandler(request, response);
        });
        server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
        return server;
      },
      bodyLimit: definition.httpBodyLimit?.(config) ?? 1024 * 1024,
      // Alert ids name their rule, property and cohort: Fastify's default (100) answered 414 to an ack of a long one.
      maxParamLength: MAX_PARAM_LENGTH,
      ...(definition.trustedProxies?.(config) ? { trustProxy: definition.trustedProxies(config) } : {}),
    }),
    { logger: new NestJsonLogger(logger), abortOnError: false, bodyParser: definition.parseBodies ?? true },
  );
  definition.configureHttp?.(app.getHttpAdapter().getInstance(), app);
  raw.route = definition.rawRoutes?.(app);
  app.useGlobalFilters(new JsonErrorFilter());
  const runner = new StageRunner({
    connection: jetstream,
    bucketPrefix: topology.namespace,
    leaseTtlMs: config.SIGHTLINE_LEASE_TTL_MS,
    tuning: { ackWaitMs: config.SIGHTLINE_ACK_WAIT_MS, tickIntervalMs: config.SIGHTLINE_TICK_INTERVAL_MS },
    logger,
    metrics,
  });
  await runner.start(definition.stages?.(context, app) ?? []);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.HTTP_PORT;
  const url = `http://${config.HTTP_HOST.includes(':') ? `[${config.HTTP_HOST}]` : config.HTTP_HOST}:${port}`;
  logger.info({ url, namespace: topology.namespace, consumers: runner.groups }, 'service started');

  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    close: () => {
      closing ??= (async () => {
        await runner.close();
        await app.close();
        await jetstream.drain();
        logger.info('service stopped');
      })();
      return closing;
    },
  };
}

export interface MainOptions {
  /**
   * Environment variable giving the number of worker processes (node:cluster, sharing the HTTP
   * port) to run, e.g. `INGEST_WORKERS`; 1 or unset runs in this process.
   */
  readonly workersVariable?: string;
}

/**
 * The whole of a service's `main.ts`: runs it (in several worker processes when configured),
 * stops it cleanly on SIGINT/SIGTERM, and exits with a one-line reason (exit code 2 for bad
 * configuration) when it cannot start.
 */
export function main<S extends TObject>(definition: ServiceDefinition<S>, options: MainOptions = {}): void {
  const workers = options.workersVariable ? Number(process.env[options.workersVariable] ?? '1') : 1;
  if (cluster.isPrimary && workers > 1) {
    try {
      loadConfig(definition.configSchema);
    } catch (error) {
      process.stderr.write(`${definition.name} cannot start: ${(error as Error).message}\n`);
      process.exit(2);
    }
    superviseWorkers(definition.name, workers);
    return;
  }
  runService(definition)
    .then((service) => {
      const stop = (signal: NodeJS.Signals) => {
        service.close().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`${definition.name}: error while stopping after ${signal}: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      const isConfig = (error as Error).name === 'ConfigError';
      process.stderr.write(`${definition.name} cannot start: ${(error as Error).message}\n`);
      process.exit(isConfig ? 2 : 1);
    });
}

/** Runs `count` workers, replaces one that dies, and stops them all on SIGINT/SIGTERM. */
function superviseWorkers(name: string, count: number): void {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`${name}: worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    if (code === 2) process.exit(2);
    setTimeout(fork, 500);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
