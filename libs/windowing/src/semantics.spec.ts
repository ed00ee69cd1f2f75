import fc from 'fast-check';
import { count, maxBy, quantiles, sum } from './aggregates';
import { global, session, sliding, tumbling, WindowingError } from './assigners';
import { BoundedOutOfOrderness, CombinedWatermark, NO_WATERMARK } from './watermarks';
import { WindowOperator, type Pane } from './window-operator';

const brief = <OUT>(panes: Pane<OUT>[]) => panes.map((p) => ({ key: p.key, start: p.window.start, end: p.window.end, value: p.value, timing: p.timing, index: p.index }));

describe('window assigners', () => {
  it('tumbling windows are epoch-aligned [start, end), with an optional offset', () => {
    expect(tumbling(10).assign(0, null, 'k')).toEqual([{ start: 0, end: 10 }]);
    expect(tumbling(10).assign(9, null, 'k')).toEqual([{ start: 0, end: 10 }]);
    expect(tumbling(10).assign(10, null, 'k')).toEqual([{ start: 10, end: 20 }]);
    expect(tumbling(10).assign(-1, null, 'k')).toEqual([{ start: -10, end: 0 }]);
    // Flink's example: hourly windows offset by 15 minutes start at 0:15, 1:15, ...
    const hour = 3_600_000;
    expect(tumbling(hour, 15 * 60_000).assign(hour + 10 * 60_000, null, 'k')).toEqual([{ start: 15 * 60_000, end: hour + 15 * 60_000 }]);
  });

  it('sliding windows: an element of t=7 is in [5,15) and [0,10) for size 10, slide 5', () => {
    expect(sliding(10, 5).assign(7, null, 'k')).toEqual([
      { start: 5, end: 15 },
      { start: 0, end: 10 },
    ]);
    expect(sliding(10_000, 2_000).assign(12_345, null, 'k')).toHaveLength(5);
  });

  it('refuses parameters that make no windows', () => {
    expect(() => tumbling(0)).toThrow(WindowingError);
    expect(() => sliding(10, 20)).toThrow(/leave gaps/);
    expect(() => session(-5)).toThrow(/session gap/);
    expect(() => new WindowOperator({ assigner: global(), aggregate: count() })).toThrow(/global window never ends/);
  });
});

describe('watermarks', () => {
  it('bounded out-of-orderness: max timestamp - bound - 1, never going back', () => {
    const wm = new BoundedOutOfOrderness(5);
    expect(wm.current()).toBe(NO_WATERMARK);
    wm.observe(100);
    expect(wm.current()).toBe(94);
    wm.observe(90);
    expect(wm.current()).toBe(94);
    wm.observe(120);
    expect(wm.current()).toBe(114);
  });

  it('several partitions: the minimum over those that are not idle', () => {
    const combined = new CombinedWatermark(1000);
    combined.update('p0', 50, 0);
    combined.update('p1', 20, 0);
    expect(combined.current(0)).toBe(20);
    combined.update('p0', 80, 500);
    expect(combined.current(500)).toBe(20);
    // p1 has not advanced for 1 s of processing time: idle, no longer holding p0 back.
    expect(combined.current(1000)).toBe(80);
    combined.update('p1', 30, 1100);
    // p1 is back, behind: the combined watermark does not go back.
    expect(combined.current(1100)).toBe(80);
    combined.markIdle('p1');
    combined.update('p0', 90, 1200);
    expect(combined.current(1200)).toBe(90);
  });

  it('when every input is idle the watermark stays where it was', () => {
    const combined = new CombinedWatermark(100);
    combined.update('p0', 10, 0);
    expect(combined.current(0)).toBe(10);
    expect(combined.current(500)).toBe(10);
  });

  it('an input with updates is not idle, even when its watermark does not advance', () => {
    const combined = new CombinedWatermark(1000);
    combined.update('p0', 50, 0);
    combined.update('p1', 20, 0);
    combined.update('p1', 10, 900);
    combined.update('p0', 80, 1500);
    expect(combined.current(1500)).toBe(20);
    expect(combined.current(1900)).toBe(80);
  });

  it('following the clock when every input is idle: the newest watermark plus the time past idleness', () => {
    const combined = new CombinedWatermark(1000, 'follow-clock');
    expect(combined.current(5000)).toBe(NO_WATERMARK);
    combined.update('p0', 100, 0);
    combined.update('p1', 40, 200);
    expect(combined.current(999)).toBe(40);
    // p0 idle from 1000: p1 alone holds the watermark until it is idle too, at 1200.
    expect(combined.current(1100)).toBe(40);
    expect(combined.current(1200)).toBe(100);
    expect(combined.current(1700)).toBe(600);
    // Input again, behind: the watermark does not go back; the clock moves it again from the
    // newest watermark once the inputs are idle again (from 2800), passing 600 after 3300.
    combined.update('p1', 50, 1800);
    expect(combined.current(2500)).toBe(600);
    expect(combined.current(3300)).toBe(600);
    expect(combined.current(3800)).toBe(1100);
    expect(() => new CombinedWatermark(Number.POSITIVE_INFINITY, 'follow-clock')).toThrow(/needs a finite idleAfterMs/);
  });

  it('one input following the clock: newest minus delay, plus the time past idleness, never going back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 3000 })), { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 2000 }), (input, idleAfterMs) => {
        const delay = 500;
        const combined = new CombinedWatermark(idleAfterMs, 'follow-clock');
        let now = 0;
        let newest = Number.NEGATIVE_INFINITY;
        let expected = NO_WATERMARK;
        for (const [at, wait] of input) {
          combined.update('activity', at - delay, now);
          newest = Math.max(newest, at);
          const later = now + wait;
          expected = Math.max(expected, newest - delay + Math.max(0, later - now - idleAfterMs));
          expect(combined.current(later)).toBe(expected);
          now = later;
        }
      }),
    );
  });

  it('saves as plain data and restores to the same watermark', () => {
    const combined = new CombinedWatermark(1000, 'follow-clock');
    combined.update('p1', 40, 200);
    combined.update('p0', 100, 0);
    combined.markIdle('p2');
    expect(combined.current(500)).toBe(40);
    const saved = JSON.parse(JSON.stringify(combined.save())) as ReturnType<CombinedWatermark['save']>;
    expect(saved.inputs.map(([name]) => name)).toEqual(['p0', 'p1', 'p2']);
    const restored = CombinedWatermark.restore(saved, 1000, 'follow-clock');
    for (const now of [900, 1300, 4000]) expect(restored.current(now)).toBe(combined.current(now));
    expect(restored.isIdle('p2', 0)).toBe(true);
  });
});

describe('tumbling windows with allowed lateness: accumulating panes (Beam)', () => {
  it('fires on time, then a late pane with the full result per late element, then refuses after the lateness', () => {
    const op = new WindowOperator({ assigner: tumbling(10), aggregate: count(), allowedLatenessMs: 20 });
    expect(op.process('a', 1, null).panes).toEqual([]);
    expect(op.process('a', 2, null).panes).toEqual([]);
    expect(brief(op.advanceWatermark(10))).toEqual([{ key: 'a', start: 0, end: 10, value: 2, timing: 'on_time', index: 0 }]);
    expect(brief(op.process('a', 3, null).panes)).toEqual([{ key: 'a', start: 0, end: 10, value: 3, timing: 'late', index: 1 }]);
    expect(brief(op.process('a', 5, null).panes)).toEqual([{ key: 'a', start: 0, end: 10, value: 4, timing: 'late', index: 2 }]);
    expect(op.openWindows).toBe(1);
    // The state is freed at end - 1 + lateness = 29.
    op.advanceWatermark(28);
    expect(op.openWindows).toBe(1);
    op.advanceWatermark(29);
    expect(op.openWindows).toBe(0);
    const result = op.process('a', 4, null);
    expect(result.panes).toEqual([]);
    expect(result.late).toEqual({ key: 'a', timestamp: 4, element: null, watermark: 29 });
  });

  it('with no lateness, the window is freed as it fires and a late element goes to the late output', () => {
    const op = new WindowOperator({ assigner: tumbling(10), aggregate: sum((n: number) => n) });
    op.process('a', 9, 5);
    expect(brief(op.advanceWatermark(9))).toEqual([{ key: 'a', start: 0, end: 10, value: 5, timing: 'on_time', index: 0 }]);
    expect(op.openWindows).toBe(0);
    expect(op.process('a', 9, 1).late?.timestamp).toBe(9);
  });
});

describe('sliding windows with partial lateness (Flink)', () => {
  it('a late element still counts in the windows that are open, and is not reported late', () => {
    const op = new WindowOperator({ assigner: sliding(10, 5), aggregate: count() });
    op.process('a', 7, null);
    expect(brief(op.advanceWatermark(9))).toEqual([{ key: 'a', start: 0, end: 10, value: 1, timing: 'on_time', index: 0 }]);
    const result = op.process('a', 8, null);
    expect(result.late).toBeUndefined();
    expect(brief(op.advanceWatermark(14))).toEqual([{ key: 'a', start: 5, end: 15, value: 2, timing: 'on_time', index: 0 }]);
  });
});

describe('session windows (Flink, Kafka Streams)', () => {
  it('merges sessions that touch: [0,10) and [10,20) become [0,20)', () => {
    const op = new WindowOperator({ assigner: session(10), aggregate: count() });
    op.process('a', 0, null);
    op.process('a', 10, null);
    expect(brief(op.advanceWatermark(100))).toEqual([{ key: 'a', start: 0, end: 20, value: 2, timing: 'on_time', index: 0 }]);
  });

  it('an out-of-order element bridges two sessions into one, merging their accumulators', () => {
    const op = new WindowOperator({ assigner: session(5), aggregate: count() });
    op.process('a', 0, null);
    op.process('a', 9, null);
    expect(op.openWindows).toBe(2);
    op.process('a', 4, null);
    expect(op.openWindows).toBe(1);
    expect(brief(op.advanceWatermark(100))).toEqual([{ key: 'a', start: 0, end: 14, value: 3, timing: 'on_time', index: 0 }]);
  });

  it('keeps keys apart and uses a gap per key when given one', () => {
    const op = new WindowOperator({ assigner: session<number>((_e, key) => (key === 'slow' ? 100 : 10)), aggregate: count() });
    op.process('fast', 0, 0);
    op.process('fast', 50, 0);
    op.process('slow', 0, 0);
    op.process('slow', 50, 0);
    const panes = brief(op.advanceWatermark(1000));
    expect(panes).toEqual([
      { key: 'fast', start: 0, end: 10, value: 1, timing: 'on_time', index: 0 },
      { key: 'fast', start: 50, end: 60, value: 1, timing: 'on_time', index: 0 },
      { key: 'slow', start: 0, end: 150, value: 2, timing: 'on_time', index: 0 },
    ]);
  });

  it('a late element that extends a fired session past the watermark makes it fire on time again', () => {
    const op = new WindowOperator({ assigner: session(10), aggregate: count(), allowedLatenessMs: 50 });
    op.process('a', 0, null);
    expect(brief(op.advanceWatermark(15))).toEqual([{ key: 'a', start: 0, end: 10, value: 1, timing: 'on_time', index: 0 }]);
    expect(op.process('a', 8, null).panes).toEqual([]);
    expect(brief(op.advanceWatermark(17))).toEqual([{ key: 'a', start: 0, end: 18, value: 2, timing: 'on_time', index: 1 }]);
  });
});

describe('triggers', () => {
  it('early panes every N elements, then the on-time pane', () => {
    const op = new WindowOperator({ assigner: tumbling(100), aggregate: count(), trigger: { early: { everyCount: 2 } } });
    const early = [1, 2, 3, 4, 5].flatMap((t) => op.process('a', t, null).panes);
    expect(brief(early).map((p) => [p.value, p.timing, p.index])).toEqual([
      [2, 'early', 0],
      [4, 'early', 1],
    ]);
    expect(brief(op.advanceWatermark(99)).map((p) => [p.value, p.timing, p.index])).toEqual([[5, 'on_time', 2]]);
  });

  it('early panes on processing time, only for windows with new elements', () => {
    const op = new WindowOperator({ assigner: tumbling(100), aggregate: count(), trigger: { early: { everyMs: 1000 } } });
    op.process('a', 1, null, 0);
    op.process('b', 1, null, 600);
    expect(brief(op.onProcessingTime(999))).toEqual([]);
    expect(brief(op.onProcessingTime(1000)).map((p) => [p.key, p.value, p.timing])).toEqual([['a', 1, 'early']]);
    expect(brief(op.onProcessingTime(1600)).map((p) => [p.key, p.value, p.timing])).toEqual([['b', 1, 'early']]);
    expect(op.onProcessingTime(5000)).toEqual([]);
  });

  it('a global window fires on its explicit trigger only', () => {
    const op = new WindowOperator({ assigner: global(), aggregate: count(), trigger: { early: { everyCount: 3 } } });
    const panes = Array.from({ length: 7 }, (_, t) => op.process('a', t, null).panes).flat();
    expect(panes.map((p) => p.value)).toEqual([3, 6]);
    expect(op.advanceWatermark(Number.MAX_SAFE_INTEGER - 10)).toEqual([]);
  });

  it('late firings can be turned off; late elements still update the window', () => {
    const op = new WindowOperator({ assigner: tumbling(10), aggregate: count(), allowedLatenessMs: 100, trigger: { late: false } });
    op.process('a', 1, null);
    op.advanceWatermark(9);
    expect(op.process('a', 2, null).panes).toEqual([]);
  });
});

describe('aggregations', () => {
  it('maxBy keeps the element with the largest value', () => {
    const op = new WindowOperator({ assigner: tumbling(10), aggregate: maxBy((b: { price: number }) => b.price) });
    op.process('', 1, { price: 5 });
    op.process('', 2, { price: 9 });
    op.process('', 3, { price: 7 });
    expect(op.advanceWatermark(9)[0]!.value).toEqual({ price: 9 });
  });

  it('quantiles from a DDSketch within its relative accuracy, merged across sessions', () => {
    const op = new WindowOperator({ assigner: session(10), aggregate: quantiles((v: number) => v, [0.5, 0.95], 0.01) });
    for (let i = 1; i <= 100; i++) op.process('k', i < 50 ? i : i + 5, i);
    op.process('k', 54, 1000);
    const [pane] = op.advanceWatermark(1000);
    expect(pane!.value.count).toBe(101);
    expect(pane!.value.values['0.5']).toBeGreaterThan(51 * 0.98);
    expect(pane!.value.values['0.5']).toBeLessThan(51 * 1.02);
  });
});
