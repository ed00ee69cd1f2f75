import { Controller, Inject, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { partitionOf, subjects, type EventBatch, type ViewSnapshot } from '@sightline/contracts';
import { publishJson } from '@sightline/messaging';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { onBatch, onTick } from '@sightline/view-metrics';
import { Counter, Gauge } from 'prom-client';
import { Serial } from './serial';
import { ViewStore } from './view-store';

export const SESSIONIZER_EVENTS = 'sessionizer.events';

interface SessionizerSettings {
  SESSIONIZER_COMPLETION_SILENCE_MS: number;
  SESSIONIZER_SWEEP_INTERVAL_MS: number;
}

/**
 * Rebuilds views from event batches. State is saved only after the outputs derived from it are
 * stored. A batch redelivered after a crash is harmless either way: if its state was saved, its
 * events are dropped as already-seen sequence numbers; if not, it is applied again and its
 * outputs get the same ids, which the stream drops as duplicates.
 */
@Controller()
export class SessionizerHandlers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly serial = new Serial();
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly lateBatches: Counter;

  constructor(
    @Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<SessionizerSettings>,
    private readonly store: ViewStore,
  ) {
    this.lateBatches = new Counter({
      name: 'sightline_sessionizer_late_batches_total',
      help: 'Event batches that arrived after their view had completed',
      registers: [context.metrics],
    });
    new Gauge({
      name: 'sightline_sessionizer_active_views',
      help: 'Views in memory that have not completed',
      registers: [context.metrics],
      collect() {
        this.set(store.activeCount);
      },
    });
  }

  @EventPattern(SESSIONIZER_EVENTS)
  onEvents(@Payload() batch: EventBatch, @Ctx() ctx: JetStreamContext): Promise<void> {
    return this.serial.run(async () => {
      const stored = await this.store.get(batch.enrichment.property_id, batch.view_id);
      const { state, output } = onBatch(stored ? structuredClone(stored) : undefined, batch);
      if (output.late) {
        this.lateBatches.inc();
        this.context.logger.info({ viewId: batch.view_id, streamSeq: ctx.streamSeq }, 'batch for a completed view ignored');
        return;
      }
      const partition = partitionOf(this.context.topology, state.viewId);
      if (output.updated) ctx.emit(subjects.viewUpdated(this.context.topology, partition), output.updated);
      if (output.completed) ctx.emit(subjects.viewCompleted(this.context.topology, partition), output.completed);
      ctx.onCommit(() => this.store.save(state));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const loaded = await this.store.loadActive();
    this.context.logger.info({ activeViews: loaded }, 'active views restored');
    this.sweepTimer = setInterval(() => {
      this.serial.run(() => this.completeSilentViews(Date.now())).catch((error: unknown) => {
        this.context.logger.error({ err: error }, 'completing silent views failed; will retry');
      });
    }, this.context.config.SESSIONIZER_SWEEP_INTERVAL_MS);
  }

  onModuleDestroy(): Promise<void> {
    clearInterval(this.sweepTimer);
    return this.serial.run(async () => undefined);
  }

  /** Completes views silent for longer than the configured time; the completion id is per view. */
  private async completeSilentViews(now: number): Promise<void> {
    for (const stored of this.store.activeViews()) {
      const state = structuredClone(stored);
      const { completed } = onTick(state, now, this.context.config.SESSIONIZER_COMPLETION_SILENCE_MS);
      if (!completed) continue;
      await this.publishCompletion(completed);
      await this.store.save(state);
    }
  }

  private async publishCompletion(view: ViewSnapshot): Promise<void> {
    const { topology, jetstream } = this.context;
    await publishJson(jetstream.js, {
      subject: subjects.viewCompleted(topology, partitionOf(topology, view.view_id)),
      payload: view,
      msgId: `sessionizer:completed:${view.property_id}:${view.view_id}`,
    });
  }
}
