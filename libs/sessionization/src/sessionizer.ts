import type { ClientDimensions, EventBatch, ViewSnapshot } from '@sightline/contracts';
import type { PlayerEvent } from '@sightline/contracts';
import { admitEvents, flushPending, skipGap } from './sequencing';
import { closeInferredStall } from './transitions';
import { createViewState, upgradeViewState, type ViewState } from './view-state';
import { snapshotOf } from './view-snapshot';

/** What the sessionizer decided to publish after a step. */
export interface SessionizerOutput {
  readonly updated?: ViewSnapshot;
  readonly completed?: ViewSnapshot;
  /** The batch arrived for a view that had already completed; it was not applied. */
  readonly late?: boolean;
}

/** A view is complete after this long without events (docs/metrics.md#the-view). */
export const COMPLETION_SILENCE_MS = 60_000;

export interface SessionizerTiming {
  /** Server time without events before a view is complete. */
  readonly silenceMs: number;
  /** Server time events wait behind a gap in the sequence before the gap is given up on. */
  readonly gapWaitMs: number;
  /** Least server time between two live updates of a view, but for significant events. */
  readonly updateIntervalMs: number;
}

export const DEFAULT_TIMING: SessionizerTiming = { silenceMs: COMPLETION_SILENCE_MS, gapWaitMs: 10_000, updateIntervalMs: 2_000 };

/** Events that are published at once, whatever the update rate: first frame, stalls, fatal errors. */
function significant(events: readonly PlayerEvent[], firstFrameBefore: boolean): boolean {
  return events.some(
    (e) =>
      (e.type === 'playing' && !firstFrameBefore) ||
      e.type === 'rebufferstart' ||
      e.type === 'rebufferend' ||
      (e.type === 'error' && e.error?.fatal === true),
  );
}

/** When the view needs its timer next: a live update due, a gap to give up on, or completion. */
export function nextDeadline(state: ViewState, timing: SessionizerTiming = DEFAULT_TIMING): number {
  const deadlines = [state.lastReceivedAt + timing.silenceMs];
  if (state.gapSince !== null) deadlines.push(state.gapSince + timing.gapWaitMs);
  if (state.updatePending && state.lastUpdateAt !== null) deadlines.push(state.lastUpdateAt + timing.updateIntervalMs);
  return Math.min(...deadlines);
}

/** Whether the player ended the view among `applied`, and how. */
function endReasonOf(applied: readonly PlayerEvent[]): 'viewend' | 'videochange' | undefined {
  const end = applied.find((e) => e.type === 'viewend' || e.type === 'videochange');
  return end?.type as 'viewend' | 'videochange' | undefined;
}

/** Starts the wait when a gap opens or moves to another sequence number; ends it when none is left. */
function trackGap(state: ViewState, now: number): void {
  if (state.pending.length === 0) {
    state.gapSince = null;
    state.gapAt = null;
  } else if (state.gapAt !== state.nextSeq) {
    state.gapSince = now;
    state.gapAt = state.nextSeq;
  }
}

function liveUpdate(state: ViewState, now: number): ViewSnapshot {
  state.revision++;
  state.lastUpdateAt = now;
  state.updatePending = false;
  return snapshotOf(state);
}

function complete(state: ViewState, reason: NonNullable<ViewState['endReason']>): ViewSnapshot {
  flushPending(state);
  closeInferredStall(state);
  state.gapSince = null;
  state.gapAt = null;
  state.updatePending = false;
  state.status = 'completed';
  state.endReason = reason;
  state.revision++;
  return snapshotOf(state);
}

const CLIENT_FIELDS = ['country', 'region', 'asn', 'as_org', 'device_type', 'os', 'browser'] as const;

/** The cohort dimensions ingest derived from a beacon's request. */
export function clientOf(enrichment: EventBatch['enrichment']): ClientDimensions {
  const client: Record<string, string | number> = {};
  for (const field of CLIENT_FIELDS) {
    const value = enrichment[field];
    if (value !== undefined) client[field] = value;
  }
  return client as ClientDimensions;
}

/**
 * Applies one beacon's events to its view (creating the view on its first batch, reopening one
 * completed by silence) and says what to publish: a live update when anything was applied, the completed view on `viewend`.
 */
export function onBatch(existing: ViewState | undefined, batch: EventBatch, timing: SessionizerTiming = DEFAULT_TIMING): { state: ViewState; output: SessionizerOutput } {
  const state = existing ? upgradeViewState(existing) : createViewState(batch.view_id, batch.enrichment.property_id, batch.enrichment.received_at, batch.context);
  if (state.status === 'completed') {
    // Ended by the player: what comes after is late. Completed by silence (a long pause, say):
    // the view goes on until it is finalized, and will be completed again, with a new revision.
    if (state.endReason !== 'inactivity' || !batch.events.some((e) => e.seq >= state.nextSeq)) return { state, output: { late: true } };
    state.status = 'active';
    delete state.endReason;
  }
  if (batch.context) state.context = { ...state.context, ...batch.context };
  state.client ??= clientOf(batch.enrichment);
  const now = batch.enrichment.received_at;
  state.lastReceivedAt = Math.max(state.lastReceivedAt, now);
  const firstFrameBefore = state.firstFrameAt !== null;
  const applied = admitEvents(state, batch.events);
  trackGap(state, now);
  if (state.gapSince !== null && now - state.gapSince >= timing.gapWaitMs) {
    applied.push(...skipGap(state));
    trackGap(state, now);
  }
  const ended = endReasonOf(applied);
  if (ended) return { state, output: { completed: complete(state, ended) } };
  if (applied.length === 0) return { state, output: {} };
  const due = state.lastUpdateAt === null || now - state.lastUpdateAt >= timing.updateIntervalMs;
  if (!due && !significant(applied, firstFrameBefore)) {
    state.updatePending = true;
    return { state, output: {} };
  }
  return { state, output: { updated: liveUpdate(state, now) } };
}

/**
 * Time passed (server time `now`): completes the view after `silenceMs` without events; gives up
 * on a gap events have waited behind for `gapWaitMs`; publishes a live update that waited for the
 * update interval.
 */
export function onTick(stored: ViewState, now: number, timing: SessionizerTiming = DEFAULT_TIMING): SessionizerOutput {
  if (stored.status === 'completed') return {};
  const state = upgradeViewState(stored);
  if (now - state.lastReceivedAt >= timing.silenceMs) return { completed: complete(state, 'inactivity') };
  let applied: PlayerEvent[] = [];
  if (state.gapSince !== null && now - state.gapSince >= timing.gapWaitMs) {
    applied = skipGap(state);
    trackGap(state, now);
    const ended = endReasonOf(applied);
    if (ended) return { completed: complete(state, ended) };
    if (applied.length > 0) state.updatePending = true;
  }
  if (state.updatePending && (state.lastUpdateAt === null || now - state.lastUpdateAt >= timing.updateIntervalMs)) {
    return { updated: liveUpdate(state, now) };
  }
  return {};
}
