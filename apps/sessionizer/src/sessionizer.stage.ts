import { EventBatchSchema, partitionedInput, partitionOf, subjects, type Topology } from '@sightline/contracts';
import { keyedStage, type Emit, type KeyedStage, type StepResult } from '@sightline/messaging';
import { stepView, stepViewTimer, viewKey, type SessionizerOptions, type ViewState, type ViewStep } from '@sightline/sessionization';
import type { ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';
import type { SessionizerConfig } from './sessionizer.config';

/** The consumer group (and the name of its state, durables and output ids). */
export const SESSIONIZER_GROUP = 'sessionizer-events';

function optionsOf(c: SessionizerConfig): SessionizerOptions {
  return {
    timing: { silenceMs: c.SESSIONIZER_COMPLETION_SILENCE_MS, gapWaitMs: c.SESSIONIZER_GAP_WAIT_MS, updateIntervalMs: c.SESSIONIZER_UPDATE_INTERVAL_MS },
    retentionMs: c.SESSIONIZER_STATE_TTL_HOURS * 3600_000,
  };
}

function outputsOf(topology: Topology, step: ViewStep): Emit[] {
  const view = step.completed ?? step.updated;
  if (!view) return [];
  const partition = partitionOf(topology, view.view_id);
  const outputs: Emit[] = [];
  if (step.updated) outputs.push({ subject: subjects.viewUpdated(topology, partition), payload: step.updated });
  if (step.completed) outputs.push({ subject: subjects.viewCompleted(topology, partition), payload: step.completed });
  return outputs;
}

/**
 * Rebuilds views from event batches, one keyed state per view. A view's timer is its next
 * deadline while it is active (a live update held back by the update interval, a gap to give up
 * on, completion after silence, on partition time) and, once complete, the time its state is
 * dropped (finalization). Before that, a view completed by silence is reopened by new events, and
 * batches after the player ended the view are counted as late; after it they start a new view.
 */
export function sessionizerStage(context: ServiceContext<SessionizerConfig>): KeyedStage<typeof EventBatchSchema, ViewState> {
  const { topology } = context;
  const options = optionsOf(context.config);
  const lateBatches = new Counter({
    name: 'sightline_sessionizer_late_batches_total',
    help: 'Event batches that arrived after the player had ended their view (viewend, videochange)',
    registers: [context.metrics],
  });
  const views = new Counter({
    name: 'sightline_sessionizer_views_completed_total',
    help: 'Views completed, by reason (viewend, inactivity)',
    labelNames: ['outcome'],
    registers: [context.metrics],
  });
  const result = (step: ViewStep): StepResult<ViewState> => {
    if (step.late) lateBatches.inc();
    if (step.completed) views.inc({ outcome: step.completed.end_reason ?? 'viewend' });
    return { state: step.state, timer: step.timer, outputs: outputsOf(topology, step) };
  };
  return keyedStage({
    name: SESSIONIZER_GROUP,
    input: partitionedInput(topology, 'events'),
    schema: EventBatchSchema,
    deadLetterSubject: subjects.deadLetter(topology, SESSIONIZER_GROUP),
    keyOf: viewKey,
    step: (state, batch, ctx) => result(stepView(state, batch, ctx.now, ctx.timer, options)),
    onTimer: (state, ctx) => result(stepViewTimer(state, ctx.now, options)),
  });
}
