import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@sightline/runtime';
import type { MongoClient } from 'mongodb';
import type { StreamProjector, StreamProjectorStatus } from './stream-projector';
import type { ProjectorMetrics } from './projector-metrics';

/** MongoDB as `/v1/projector/status` reports it. */
export type MongoStatus = { readonly state: 'not_configured' } | { readonly state: 'ok' } | { readonly state: 'unreachable'; readonly error: string };

export interface ProjectorStatus {
  readonly mongo: MongoStatus & { readonly database: string };
  readonly inputs: Readonly<Record<string, StreamProjectorStatus>>;
}

/** How often lag and MongoDB reachability are refreshed, ms. */
const HEALTH_INTERVAL_MS = 5000;

/**
 * Runs the stream projectors for the life of the Nest application: starts them once the app is
 * up, refreshes lag and MongoDB reachability, and stops them (and closes MongoDB) on shutdown.
 */
export class ProjectorRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private mongo: MongoStatus;

  constructor(
    private readonly projectors: readonly StreamProjector[],
    private readonly mongoClient: MongoClient | undefined,
    private readonly database: string,
    private readonly metrics: ProjectorMetrics,
    private readonly logger: Logger,
  ) {
    this.mongo = mongoClient ? { state: 'unreachable', error: 'not checked yet' } : { state: 'not_configured' };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.mongoClient) {
      this.logger.warn(
        'MONGO_URL is not set: the projector writes no read models and only reports its lag; set MONGO_URL and restart it to catch up (the streams keep messages for SIGHTLINE_STREAM_MAX_AGE_HOURS)',
      );
    }
    await Promise.all(this.projectors.map((p) => p.start()));
    await this.refreshLag();
    void this.pingMongo();
    this.timer = setInterval(() => void this.refreshLag().then(() => this.pingMongo()), HEALTH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.projectors.map((p) => p.stop()));
    await this.mongoClient?.close();
  }

  status(): ProjectorStatus {
    return {
      mongo: { ...this.mongo, database: this.database },
      inputs: Object.fromEntries(this.projectors.map((p) => [p.input, p.status()])),
    };
  }

  private async refreshLag(): Promise<void> {
    await Promise.all(
      this.projectors.map((p) => p.refreshLag().catch((error: Error) => this.logger.debug({ input: p.input, err: error.message }, 'cannot read consumer lag'))),
    );
  }

  /** Takes up to the server selection timeout when MongoDB is down; never awaited by start-up. */
  private async pingMongo(): Promise<void> {
    if (!this.mongoClient) {
      this.metrics.mongoUp.set(0);
      return;
    }
    try {
      await this.mongoClient.db(this.database).command({ ping: 1 });
      if (this.mongo.state !== 'ok') this.logger.info({ database: this.database }, 'MongoDB reachable');
      this.mongo = { state: 'ok' };
      this.metrics.mongoUp.set(1);
    } catch (error) {
      if (this.mongo.state === 'ok') this.logger.warn({ err: (error as Error).message }, 'MongoDB unreachable; writes are held and retried');
      this.mongo = { state: 'unreachable', error: (error as Error).message };
      this.metrics.mongoUp.set(0);
    }
  }
}
