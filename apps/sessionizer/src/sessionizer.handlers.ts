import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { partitionOf, subjects, type EventBatch, type ViewSnapshot } from '@sightline/contracts';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext, type TimerEvent } from '@sightline/service-kit';
import { nextDeadline, onBatch, onTick, type SessionizerTiming, type ViewState } from '@sightline/sessionization';
import { Counter } from 'prom-client';

export const SESSIONIZER_EVENTS = 'sessionizer.events';
export const SESSIONIZER_TIMERS = 'sessionizer.timers';

interface SessionizerSettings {
  SESSIONIZER_COMPLETION_SILENCE_MS: number;
  SESSIONIZER_GAP_WAIT_MS: number;
  SESSIONIZER_UPDATE_INTERVAL_MS: number;
  SESSIONIZER_STATE_TTL_HOURS: number;
}

/** The state key of a view: views are unique per property. */
export function viewKey(batch: EventBatch): string {
  return `${batch.enrichment.property_id}/${batch.view_id}`;
}

/**
 * Rebuilds views from event batches, one keyed state per view. A view's timer is its next
 * deadline while it is active (a live update held back by the update interval, a gap to give up
 * on, completion after silence, on partition time) and, once complete, the time its state is
 * dropped (finalization). Before that, a view completed by silence is reopened by new events, and
 * batches after the player ended the view are counted as late; after it they start a new view.
 */
@Controller()
export class SessionizerHandlers {
  private readonly lateBatches: Counter;
  private readonly views: Counter<'outcome'>;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<SessionizerSettings>) {
    this.lateBatches = new Counter({
      name: 'sightline_sessionizer_late_batches_total',
      help: 'Event batches that arrived after the player had ended their view (viewend, videochange)',
      registers: [context.metrics],
    });
    this.views = new Counter({
      name: 'sightline_sessionizer_views_completed_total',
      help: 'Views completed, by reason (viewend, inactivity)',
      labelNames: ['outcome'],
      registers: [context.metrics],
    });
  }

  private get timing(): SessionizerTiming {
    const c = this.context.config;
    return { silenceMs: c.SESSIONIZER_COMPLETION_SILENCE_MS, gapWaitMs: c.SESSIONIZER_GAP_WAIT_MS, updateIntervalMs: c.SESSIONIZER_UPDATE_INTERVAL_MS };
  }

  private get retentionMs(): number {
    return this.context.config.SESSIONIZER_STATE_TTL_HOURS * 3600_000;
  }

  @EventPattern(SESSIONIZER_EVENTS)
  onEvents(@Payload() batch: EventBatch, @Ctx() ctx: JetStreamContext<ViewState>): void {
    const stored = ctx.state.get();
    const { state, output } = onBatch(stored ? structuredClone(stored) : undefined, batch, this.timing);
    if (output.late) {
      this.lateBatches.inc();
      return;
    }
    this.publish(ctx, output.updated, output.completed);
    ctx.state.set(state);
    ctx.state.setTimer(state.status === 'active' ? nextDeadline(state, this.timing) : ctx.now + this.retentionMs);
  }

  @EventPattern(SESSIONIZER_TIMERS)
  onTimer(@Payload() _timer: TimerEvent, @Ctx() ctx: JetStreamContext<ViewState>): void {
    const stored = ctx.state.get();
    if (!stored || stored.status === 'completed') {
      ctx.state.delete();
      return;
    }
    const state = structuredClone(stored);
    const { updated, completed } = onTick(state, ctx.now, this.timing);
    this.publish(ctx, updated, completed);
    ctx.state.set(state);
    ctx.state.setTimer(completed ? ctx.now + this.retentionMs : nextDeadline(state, this.timing));
  }

  private publish(ctx: JetStreamContext<ViewState>, updated?: ViewSnapshot, completed?: ViewSnapshot): void {
    const view = completed ?? updated;
    if (!view) return;
    const partition = partitionOf(this.context.topology, view.view_id);
    if (updated) ctx.emit(subjects.viewUpdated(this.context.topology, partition), updated);
    if (completed) {
      ctx.emit(subjects.viewCompleted(this.context.topology, partition), completed);
      this.views.inc({ outcome: completed.end_reason ?? 'viewend' });
    }
  }
}
