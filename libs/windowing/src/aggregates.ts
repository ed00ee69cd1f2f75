import { DDSketch } from '@datadog/sketches-js';

/**
 * An incremental aggregation: elements are folded into an accumulator as they arrive, and
 * accumulators merge (session windows join). `save`/`load` turn an accumulator into JSON-safe
 * data and back for snapshots; without them it is stored as it is (numbers, plain objects).
 */
export interface AggregateFunction<T, ACC, OUT> {
  create(): ACC;
  /** Adds an element; may change `acc` in place, and returns the accumulator. */
  add(acc: ACC, element: T): ACC;
  /** Joins two accumulators; may reuse either, and returns the joined one. */
  merge(a: ACC, b: ACC): ACC;
  /** The result so far; must not change `acc` (panes accumulate). */
  result(acc: ACC): OUT;
  save?(acc: ACC): unknown;
  load?(saved: unknown): ACC;
}

export function count<T = unknown>(): AggregateFunction<T, number, number> {
  return { create: () => 0, add: (n) => n + 1, merge: (a, b) => a + b, result: (n) => n };
}

export function sum<T>(value: (element: T) => number): AggregateFunction<T, number, number> {
  return { create: () => 0, add: (s, e) => s + value(e), merge: (a, b) => a + b, result: (s) => s };
}

/** The element with the largest value (the first one seen among equals). */
export function maxBy<T>(value: (element: T) => number): AggregateFunction<T, T | null, T | null> {
  return {
    create: () => null,
    add: (best, e) => (best === null || value(e) > value(best) ? e : best),
    merge: (a, b) => (a === null ? b : b === null ? a : value(b) > value(a) ? b : a),
    result: (best) => best,
  };
}

export function mean<T>(value: (element: T) => number): AggregateFunction<T, { sum: number; count: number }, number | null> {
  return {
    create: () => ({ sum: 0, count: 0 }),
    add: (acc, e) => {
      acc.sum += value(e);
      acc.count++;
      return acc;
    },
    merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
    result: (acc) => (acc.count === 0 ? null : acc.sum / acc.count),
    save: (acc) => ({ ...acc }),
    load: (saved) => ({ ...(saved as { sum: number; count: number }) }),
  };
}

export interface QuantileResult {
  readonly count: number;
  /** Quantile -> value, within the sketch's relative accuracy; empty when there is no element. */
  readonly values: Readonly<Record<string, number>>;
}

/**
 * Mergeable quantiles with a DDSketch (`@datadog/sketches-js`, Apache-2.0): every reported value
 * is within `relativeAccuracy` of the true quantile, and merged sketches are as accurate as one
 * built from all the elements (what percentiles of merged sessions and of cohorts need).
 */
export function quantiles<T>(value: (element: T) => number, qs: readonly number[], relativeAccuracy = 0.01): AggregateFunction<T, DDSketch, QuantileResult> {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is not within [0, 1]`);
  return {
    create: () => new DDSketch({ relativeAccuracy }),
    add: (sketch, e) => {
      sketch.accept(value(e));
      return sketch;
    },
    merge: (a, b) => {
      a.merge(b);
      return a;
    },
    result: (sketch) => ({
      count: sketch.count,
      values: sketch.count === 0 ? {} : Object.fromEntries(qs.map((q) => [String(q), sketch.getValueAtQuantile(q)])),
    }),
    save: (sketch) => saveSketch(sketch, relativeAccuracy),
    load: (saved) => loadSketch(saved as string, relativeAccuracy),
  };
}

interface StoreInternals {
  bins: number[];
  offset: number;
  minKey: number;
  maxKey: number;
  count: number;
  copy(other: unknown): void;
}

interface SketchInternals {
  store: StoreInternals;
  negativeStore: StoreInternals;
  zeroCount: number;
  count: number;
}

/** The bins from the lowest to the highest key counted: the same counts give the same bins. */
function trimmedBins(store: StoreInternals): { bins: number[]; offset: number } {
  if (store.count === 0 || !Number.isFinite(store.minKey)) return { bins: [], offset: 0 };
  return { bins: store.bins.slice(store.minKey - store.offset, store.maxKey - store.offset + 1), offset: store.minKey };
}

/**
 * A DDSketch as base64 protobuf (the format Datadog's libraries exchange), canonical: the dense
 * stores keep spare bins whose number depends on the order values and merges came in, so the
 * bins are trimmed to the counted range first. Equal counts give equal bytes.
 */
export function saveSketch(sketch: DDSketch, relativeAccuracy: number): string {
  const source = sketch as unknown as SketchInternals;
  const canonical = new DDSketch({ relativeAccuracy });
  const target = canonical as unknown as SketchInternals;
  for (const side of ['store', 'negativeStore'] as const) {
    const { bins, offset } = trimmedBins(source[side]);
    Object.assign(target[side], { bins, offset, minKey: bins.length ? offset : Infinity, maxKey: bins.length ? offset + bins.length - 1 : -Infinity, count: source[side].count });
  }
  target.zeroCount = source.zeroCount;
  target.count = source.count;
  return Buffer.from(canonical.toProto()).toString('base64');
}

/**
 * A sketch from `saveSketch`, with the index mapping built from `relativeAccuracy` as a new sketch
 * builds it. `DDSketch.fromProto` rebuilds the mapping from the stored gamma instead, which differs
 * in the last bits: its quantiles would not be exactly those of the sketch that was saved, and
 * a restored operator would not give exactly the output of one that never stopped.
 */
export function loadSketch(saved: string, relativeAccuracy: number): DDSketch {
  const decoded = DDSketch.fromProto(Buffer.from(saved, 'base64')) as unknown as SketchInternals;
  const sketch = new DDSketch({ relativeAccuracy });
  const target = sketch as unknown as SketchInternals;
  target.store.copy(decoded.store);
  target.negativeStore.copy(decoded.negativeStore);
  target.zeroCount = decoded.zeroCount;
  target.count = decoded.count;
  return sketch;
}
