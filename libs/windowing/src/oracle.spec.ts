import fc from 'fast-check';
import type { AggregateFunction } from './aggregates';
import { session, sliding, tumbling, type WindowAssigner } from './assigners';
import { NO_WATERMARK } from './watermarks';
import { maxTimestamp, type Window } from './window';
import { WindowOperator, type Pane, type WindowOptions } from './window-operator';

/** Collects element ids, so that a pane says exactly which elements it holds. */
const collect: AggregateFunction<number, number[], number[]> = {
  create: () => [],
  add: (acc, id) => {
    acc.push(id);
    return acc;
  },
  merge: (a, b) => a.concat(b),
  result: (acc) => [...acc].sort((x, y) => x - y),
};

type Op = { kind: 'element'; key: string; ts: number } | { kind: 'watermark'; wm: number };
type Out = { pane: Pane<number[]> } | { late: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('element' as const), key: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('watermark' as const), wm: fc.integer({ min: 0, max: 230 }) }) },
);

const fixedConfigArb = fc.record({
  assigner: fc.oneof(
    fc.constantFrom(5, 10, 20).map((size) => ({ name: `tumbling(${size})`, make: () => tumbling(size) })),
    fc.constantFrom([10, 5], [20, 5], [20, 10], [9, 3]).map(([size, slide]) => ({ name: `sliding(${size},${slide})`, make: () => sliding(size!, slide!) })),
  ),
  lateness: fc.constantFrom(0, 5, 30),
});

function runOperator(options: WindowOptions<number, number[], number[]>, ops: Op[], cutAt?: number, open?: { windows: number }): Out[] {
  let op = new WindowOperator(options);
  const out: Out[] = [];
  ops.forEach((o, id) => {
    if (id === cutAt) op = WindowOperator.restore(options, op.snapshot());
    if (o.kind === 'watermark') for (const pane of op.advanceWatermark(o.wm)) out.push({ pane });
    else {
      const result = op.process(o.key, o.ts, id);
      for (const pane of result.panes) out.push({ pane });
      if (result.late) out.push({ late: id });
    }
  });
  if (open) open.windows = op.openWindows;
  return out;
}

/**
 * The brute-force oracle for non-merging windows: it keeps a log of which element went to which
 * window, and recomputes every pane from scratch by filtering the log.
 */
function runOracle(assigner: WindowAssigner, lateness: number, ops: Op[], open?: { windows: number }): Out[] {
  let watermark = NO_WATERMARK;
  const log: { key: string; window: Window; id: number }[] = [];
  const fired = new Map<string, { index: number; onTime: boolean }>();
  const freed = new Set<string>();
  const name = (key: string, w: Window) => `${key}|${w.start}|${w.end}`;
  const contents = (key: string, w: Window) =>
    log.filter((e) => e.key === key && e.window.start === w.start && e.window.end === w.end).map((e) => e.id).sort((x, y) => x - y);
  const pane = (key: string, w: Window, timing: Pane<number[]>['timing']): Out => {
    const f = fired.get(name(key, w)) ?? { index: 0, onTime: false };
    fired.set(name(key, w), { index: f.index + 1, onTime: true });
    return { pane: { key, window: w, timestamp: maxTimestamp(w), value: contents(key, w), timing, index: f.index } };
  };
  const out: Out[] = [];
  ops.forEach((o, id) => {
    if (o.kind === 'element') {
      let accepted = false;
      for (const w of assigner.assign(o.ts, null, o.key)) {
        if (maxTimestamp(w) + lateness <= watermark) continue;
        accepted = true;
        if (freed.has(name(o.key, w))) {
          freed.delete(name(o.key, w));
          fired.delete(name(o.key, w));
        }
        log.push({ key: o.key, window: w, id });
        if (maxTimestamp(w) <= watermark) out.push(pane(o.key, w, 'late'));
      }
      if (!accepted) out.push({ late: id });
      return;
    }
    if (o.wm <= watermark) return;
    watermark = o.wm;
    const due = new Map<string, { key: string; window: Window }>();
    for (const e of log) {
      const n = name(e.key, e.window);
      if (maxTimestamp(e.window) <= watermark && !fired.get(n)?.onTime && !freed.has(n)) due.set(n, { key: e.key, window: e.window });
    }
    const ordered = [...due.values()].sort(
      (a, b) => maxTimestamp(a.window) - maxTimestamp(b.window) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.window.start - b.window.start,
    );
    for (const d of ordered) out.push(pane(d.key, d.window, 'on_time'));
    for (const e of [...log]) {
      if (maxTimestamp(e.window) + lateness <= watermark) {
        freed.add(name(e.key, e.window));
        log.splice(log.indexOf(e), 1);
      }
    }
  });
  if (open) open.windows = new Set(log.map((e) => name(e.key, e.window))).size;
  return out;
}

describe('the window operator against a brute-force oracle (fast-check)', () => {
  it('tumbling and sliding windows, random out-of-order streams, random watermarks and lateness', () => {
    fc.assert(
      fc.property(fixedConfigArb, fc.array(opArb, { maxLength: 120 }), (config, ops) => {
        const assigner = config.assigner.make();
        const [mine, theirs] = [{ windows: 0 }, { windows: 0 }];
        const actual = runOperator({ assigner, aggregate: collect, allowedLatenessMs: config.lateness }, ops, undefined, mine);
        expect(actual).toEqual(runOracle(assigner, config.lateness, ops, theirs));
        // State is freed exactly when the watermark passes end - 1 + lateness.
        expect(mine.windows).toBe(theirs.windows);
      }),
      { numRuns: 400 },
    );
  });

  it('session windows: the final sessions equal those recomputed from all elements', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 5, 12), fc.array(fc.record({ key: fc.constantFrom('a', 'b'), ts: fc.integer({ min: 0, max: 300 }) }), { maxLength: 80 }), (gap, elements) => {
        const op = new WindowOperator({ assigner: session(gap), aggregate: collect });
        elements.forEach((e, id) => op.process(e.key, e.ts, id));
        const actual = op.advanceWatermark(Number.MAX_SAFE_INTEGER).map((p) => ({ key: p.key, start: p.window.start, end: p.window.end, ids: p.value }));
        const expected: typeof actual = [];
        for (const key of ['a', 'b']) {
          const mine = elements.map((e, id) => ({ ...e, id })).filter((e) => e.key === key).sort((x, y) => x.ts - y.ts);
          let current: (typeof actual)[number] | undefined;
          for (const e of mine) {
            if (current && e.ts <= current.end) {
              current.end = Math.max(current.end, e.ts + gap);
              current.ids.push(e.id);
            } else {
              if (current) expected.push(current);
              current = { key, start: e.ts, end: e.ts + gap, ids: [e.id] };
            }
          }
          if (current) expected.push(current);
        }
        for (const s of expected) s.ids.sort((x, y) => x - y);
        const order = (a: (typeof actual)[number], b: (typeof actual)[number]) => a.end - b.end || (a.key < b.key ? -1 : 1) || a.start - b.start;
        expect(actual.sort(order)).toEqual(expected.sort(order));
      }),
      { numRuns: 400 },
    );
  });

  it('a snapshot taken at any point and restored gives the same remaining output, byte for byte', () => {
    fc.assert(
      fc.property(
        fixedConfigArb,
        fc.constantFrom<'fixed' | 'session'>('fixed', 'session'),
        fc.array(opArb, { minLength: 1, maxLength: 100 }),
        fc.nat(),
        (config, kind, ops, cut) => {
          const options: WindowOptions<number, number[], number[]> = {
            assigner: kind === 'session' ? session(7) : config.assigner.make(),
            aggregate: collect,
            allowedLatenessMs: config.lateness,
            trigger: { early: { everyCount: 3 } },
          };
          const straight = JSON.stringify(runOperator(options, ops));
          expect(JSON.stringify(runOperator(options, ops, cut % ops.length))).toBe(straight);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the same input in the same order gives the same snapshot bytes', () => {
    const options: WindowOptions<number, number[], number[]> = { assigner: sliding(20, 5), aggregate: collect, allowedLatenessMs: 10 };
    const ops: Op[] = [5, 30, 2, 17, 44, 8].map((ts, i) => (i === 3 ? { kind: 'watermark', wm: 21 } : { kind: 'element', key: `k${i % 2}`, ts }));
    const snap = () => {
      const op = new WindowOperator(options);
      ops.forEach((o, id) => (o.kind === 'watermark' ? op.advanceWatermark(o.wm) : op.process(o.key, o.ts, id)));
      return Buffer.from(op.snapshot()).toString('hex');
    };
    expect(snap()).toBe(snap());
  });

  it('saves plain data that loads into the operator the bytes restore', () => {
    const options: WindowOptions<number, number[], number[]> = { assigner: sliding(20, 5), aggregate: collect, allowedLatenessMs: 10, trigger: { early: { everyMs: 5 } } };
    const op = new WindowOperator(options);
    [5, 30, 2, 17].forEach((ts, id) => op.process(`k${id % 2}`, ts, id, id));
    op.advanceWatermark(21);
    const saved = op.save();
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(Buffer.from(op.snapshot()).toString('utf8')).toBe(JSON.stringify(saved));
    const [loaded, restored] = [WindowOperator.load(options, saved), WindowOperator.restore(options, op.snapshot())];
    expect(loaded.save()).toEqual(saved);
    expect(loaded.onProcessingTime(100)).toEqual(restored.onProcessingTime(100));
    expect(loaded.advanceWatermark(200)).toEqual(restored.advanceWatermark(200));
    expect(() => WindowOperator.load(options, { ...saved, version: 9 })).toThrow(/version 9 is not supported/);
  });

  it('refuses a snapshot of another format or version with the reason', () => {
    const options = { assigner: tumbling(10), aggregate: collect };
    expect(() => WindowOperator.restore(options, Buffer.from('{"format":"other","version":1}'))).toThrow(/format "other"/);
    expect(() => WindowOperator.restore(options, Buffer.from('{"format":"sightline-windowing","version":9}'))).toThrow(/version 9 is not supported/);
    expect(() => WindowOperator.restore(options, Buffer.from('nope'))).toThrow(/not a windowing snapshot/);
  });
});
