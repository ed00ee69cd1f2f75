import type { EventBatch, ViewSnapshot } from '@sightline/contracts';
import { admitEvents, flushPending } from './sequencing';
import { createViewState, upgradeViewState, type ViewState } from './view-state';
import { snapshotOf } from './view-metrics';

/** What the sessionizer decided to publish after a step. */
export interface SessionizerOutput {
  readonly updated?: ViewSnapshot;
  readonly completed?: ViewSnapshot;
  /** The batch arrived for a view that had already completed; it was not applied. */
  readonly late?: boolean;
}

/** A view is complete after this long without events (docs/metrics.md). */
export const COMPLETION_SILENCE_MS = 60_000;

function complete(state: ViewState, reason: NonNullable<ViewState['endReason']>): ViewSnapshot {
  flushPending(state);
  state.status = 'completed';
  state.endReason = reason;
  state.revision++;
  return snapshotOf(state);
}

/**
 * Applies one beacon's events to its view (creating the view on its first batch) and says what
 * to publish: a live update when anything was applied, the completed view on `viewend`.
 */
export function onBatch(existing: ViewState | undefined, batch: EventBatch): { state: ViewState; output: SessionizerOutput } {
  const state = existing ? upgradeViewState(existing) : createViewState(batch.view_id, batch.enrichment.property_id, batch.enrichment.received_at, batch.context);
  if (state.status === 'completed') return { state, output: { late: true } };
  if (batch.context) state.context = { ...state.context, ...batch.context };
  state.lastReceivedAt = Math.max(state.lastReceivedAt, batch.enrichment.received_at);
  const applied = admitEvents(state, batch.events);
  const end = applied.find((e) => e.type === 'viewend' || e.type === 'videochange');
  if (end) {
    return { state, output: { completed: complete(state, end.type === 'videochange' ? 'videochange' : 'viewend') } };
  }
  if (applied.length === 0) return { state, output: {} };
  state.revision++;
  return { state, output: { updated: snapshotOf(state) } };
}

/** Completes the view if nothing arrived for `silenceMs` of server time before `now`. */
export function onTick(stored: ViewState, now: number, silenceMs = COMPLETION_SILENCE_MS): SessionizerOutput {
  if (stored.status === 'completed' || now - stored.lastReceivedAt < silenceMs) return {};
  return { completed: complete(upgradeViewState(stored), 'inactivity') };
}
