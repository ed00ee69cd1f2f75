import type { EventBatch, ViewSnapshot } from '@sightline/contracts';
import { nextDeadline, onBatch, onTick, type SessionizerTiming } from './sessionizer';
import type { ViewState } from './view-state';

export interface SessionizerOptions {
  readonly timing: SessionizerTiming;
  /** How long a completed view is kept to recognise late events (finalization), ms. */
  readonly retentionMs: number;
}

/** A view after one step: its state and timer, and what to publish. */
export interface ViewStep {
  /** The view's state; undefined once it is finalized (dropped). */
  readonly state: ViewState | undefined;
  /** When the view needs its next step: a deadline while active, finalization once complete. */
  readonly timer: number | undefined;
  readonly updated?: ViewSnapshot;
  readonly completed?: ViewSnapshot;
  /** The batch came after the player ended the view: nothing changed. */
  readonly late?: boolean;
}

/** The state key of a view: views are unique per property. */
export function viewKey(batch: EventBatch): string {
  return `${batch.enrichment.property_id}/${batch.view_id}`;
}

/**
 * A beacon's events applied to its view (changing `stored` in place). `now` is partition time and
 * `timer` the view's timer before the step, kept when the batch is late.
 */
export function stepView(stored: ViewState | undefined, batch: EventBatch, now: number, timer: number | undefined, settings: SessionizerOptions): ViewStep {
  const { state, output } = onBatch(stored, batch, settings.timing);
  if (output.late) return { state: stored, timer, late: true };
  const next = state.status === 'active' ? nextDeadline(state, settings.timing) : now + settings.retentionMs;
  return { state, timer: next, updated: output.updated, completed: output.completed };
}

/**
 * A view's timer is due at partition time `now`: an active view may complete after silence, give
 * up on a gap or publish a held-back update; a completed one is finalized (its state dropped).
 */
export function stepViewTimer(stored: ViewState | undefined, now: number, settings: SessionizerOptions): ViewStep {
  if (!stored || stored.status === 'completed') return { state: undefined, timer: undefined };
  const { updated, completed } = onTick(stored, now, settings.timing);
  return { state: stored, timer: completed ? now + settings.retentionMs : nextDeadline(stored, settings.timing), updated, completed };
}
