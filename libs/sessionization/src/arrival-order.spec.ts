import fc from 'fast-check';
import type { EventBatch, PlayerEvent, ViewSnapshot } from '@sightline/contracts';
import { eventsOf, GOLDEN, T0 } from './golden-views.fixture';
import { onBatch, onTick } from './sessionizer';
import type { ViewState } from './view-state';

const batchOf = (events: PlayerEvent[], receivedAt: number): EventBatch => ({ v: 1, view_id: 'v', enrichment: { property_id: 'p', received_at: receivedAt }, events });

/** Feeds the batches 100 ms apart (well within the gap wait) and returns the completed view. */
function completeFrom(batches: PlayerEvent[][]): ViewSnapshot | undefined {
  let state: ViewState | undefined;
  let completed: ViewSnapshot | undefined;
  batches.forEach((events, i) => {
    const step = onBatch(state, batchOf(events, T0 + i * 100));
    state = step.state;
    completed ??= step.output.completed;
  });
  return completed;
}

describe('arrival order and duplication (fast-check)', () => {
  it('any order and duplication of a view\'s events, within the wait bound, gives the same completed view', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GOLDEN),
        fc.infiniteStream(fc.nat()),
        fc.integer({ min: 1, max: 6 }),
        (golden, randomness, batchCount) => {
          const events = eventsOf(golden.steps);
          const expected = completeFrom([events]);
          const r = randomness[Symbol.iterator]();
          const next = () => r.next().value as number;
          // Shuffle, duplicate some, and split into batches.
          const arrivals = [...events, ...events.filter(() => next() % 3 === 0)];
          for (let i = arrivals.length - 1; i > 0; i--) {
            const j = next() % (i + 1);
            [arrivals[i], arrivals[j]] = [arrivals[j]!, arrivals[i]!];
          }
          const batches: PlayerEvent[][] = Array.from({ length: batchCount }, () => []);
          for (const event of arrivals) batches[next() % batchCount]!.push(event);
          const actual = completeFrom(batches.filter((b) => b.length > 0));
          expect(actual?.metrics).toEqual(expected?.metrics);
          expect(actual?.last_seq).toBe(expected?.last_seq);
          expect(actual?.end_reason).toBe(expected?.end_reason);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('live updates at a bounded rate', () => {
  const hb = (seq: number, s: number, type: PlayerEvent['type'] = 'heartbeat'): PlayerEvent => ({ seq, type, ts: T0 + s * 1000, playhead_ms: s * 1000 });

  it('publishes at most one update per interval, but first frame and stalls at once', () => {
    let state: ViewState | undefined;
    const published: number[] = [];
    const events = [hb(0, 0, 'play'), hb(1, 0.5), hb(2, 1, 'playing'), hb(3, 1.5), hb(4, 2), hb(5, 2.5, 'rebufferstart'), hb(6, 3), hb(7, 4.5), hb(8, 5), hb(9, 5.5)];
    events.forEach((event, i) => {
      const step = onBatch(state, batchOf([event], T0 + i * 500));
      state = step.state;
      if (step.output.updated) published.push(event.seq);
    });
    // Batches 500 ms apart. seq 0: the first update; 2: first frame; 5: stall start (at 2.5 s);
    // 6 to 8 wait; 9 arrives at 4.5 s, 2 s after the last update.
    expect(published).toEqual([0, 2, 5, 9]);
  });

  it('a held-back update goes out on the timer', () => {
    let { state } = onBatch(undefined, batchOf([hb(0, 0, 'play')], T0));
    ({ state } = onBatch(state, batchOf([hb(1, 1)], T0 + 1000)));
    expect(state.updatePending).toBe(true);
    expect(onTick(state, T0 + 1999)).toEqual({});
    expect(onTick(state, T0 + 2000).updated?.last_seq).toBe(1);
  });
});
