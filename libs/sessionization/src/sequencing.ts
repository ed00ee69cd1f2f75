import type { PlayerEvent } from '@sightline/contracts';
import { applyEvent } from './transitions';
import type { ViewState } from './view-state';

/**
 * Adds events to the view and applies every one that is next in sequence. Events ahead of a
 * gap wait in `pending`; events already seen (by sequence number) are counted and dropped.
 * Returns the events applied, in order.
 */
export function admitEvents(state: ViewState, events: readonly PlayerEvent[]): PlayerEvent[] {
  for (const event of events) {
    if (event.seq < state.nextSeq || state.pending.some((p) => p.seq === event.seq)) {
      state.duplicates++;
      continue;
    }
    state.pending.push(event);
  }
  state.pending.sort((a, b) => a.seq - b.seq);
  const applied: PlayerEvent[] = [];
  while (state.pending.length > 0 && state.pending[0]!.seq === state.nextSeq) {
    const event = state.pending.shift()!;
    applyEvent(state, event);
    state.nextSeq = event.seq + 1;
    applied.push(event);
  }
  return applied;
}

/** Applies whatever is still waiting, skipping the gaps: the view is ending and they will not fill. */
export function flushPending(state: ViewState): PlayerEvent[] {
  const applied = [...state.pending];
  for (const event of applied) {
    applyEvent(state, event);
    state.nextSeq = event.seq + 1;
  }
  state.pending = [];
  return applied;
}

/**
 * Gives up on the gap at the head of `pending` (the events behind it have waited long enough):
 * applies everything up to the next gap. Returns the events applied.
 */
export function skipGap(state: ViewState): PlayerEvent[] {
  const head = state.pending[0];
  if (!head) return [];
  state.gapsSkipped += head.seq - state.nextSeq;
  state.nextSeq = head.seq;
  return admitEvents(state, []);
}
