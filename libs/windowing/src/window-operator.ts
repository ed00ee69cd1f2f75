import { Heap } from 'heap-js';
import type { AggregateFunction } from './aggregates';
import { WindowingError, type WindowAssigner } from './assigners';
import { NO_WATERMARK } from './watermarks';
import { cover, intersects, isGlobal, maxTimestamp, type Window } from './window';

/** Beam's pane timing: before the watermark passed the window, the first firing at it, or after. */
export type PaneTiming = 'early' | 'on_time' | 'late';

/** One firing of one window of one key: the full result so far (panes accumulate). */
export interface Pane<OUT> {
  readonly key: string;
  readonly window: Window;
  /** `window.end - 1`. */
  readonly timestamp: number;
  readonly value: OUT;
  readonly timing: PaneTiming;
  /** 0 for the window's first pane, then 1, 2, ... */
  readonly index: number;
}

/** An element that arrived after every window it belongs to was closed (past the allowed lateness). */
export interface LateElement<T> {
  readonly key: string;
  readonly timestamp: number;
  readonly element: T;
  /** The watermark when it arrived. */
  readonly watermark: number;
}

export interface TriggerOptions {
  /** Early panes: after this many new elements in a window, and/or this long (processing time) after the first unfired one. */
  readonly early?: { readonly everyCount?: number; readonly everyMs?: number };
  /** Fire a late pane for every element that arrives within the allowed lateness (default true). */
  readonly late?: boolean;
}

export interface WindowOptions<T, ACC, OUT> {
  readonly assigner: WindowAssigner<T>;
  readonly aggregate: AggregateFunction<T, ACC, OUT>;
  readonly trigger?: TriggerOptions;
  /** How long after the watermark passed a window late elements still update it. Default 0. */
  readonly allowedLatenessMs?: number;
}

export interface ProcessResult<T, OUT> {
  readonly panes: Pane<OUT>[];
  /** Set when the element was too late for every window it belongs to (the late-data output). */
  readonly late?: LateElement<T>;
}

interface WindowState<ACC> {
  readonly key: string;
  start: number;
  end: number;
  acc: ACC;
  index: number;
  sinceFire: number;
  firedOnTime: boolean;
  /** Processing time of the first element since the last pane, for early panes on time. */
  firstUnfiredAt: number | undefined;
}

interface Timer {
  readonly time: number;
  /** 0: the on-time pane at `end - 1`; 1: freeing the state at `end - 1 + lateness`. */
  readonly kind: 0 | 1;
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

const compareTimers = (a: Timer, b: Timer): number =>
  a.time - b.time || a.kind - b.kind || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.start - b.start;

export const SNAPSHOT_FORMAT = 'sightline-windowing';
export const SNAPSHOT_VERSION = 1;

type SavedWindow = [key: string, start: number, end: number, index: number, sinceFire: number, firedOnTime: boolean, firstUnfiredAt: number | null, acc: unknown];

/** An operator's state as plain JSON data (`save()`): its watermark and windows in a fixed order. */
export interface OperatorSnapshot {
  readonly format: string;
  readonly version: number;
  readonly watermark: number;
  readonly windows: readonly SavedWindow[];
}

/**
 * Keyed event-time windows with Flink's semantics: elements go to the windows the assigner gives
 * them (sessions merge when they overlap or touch); a window fires when the watermark reaches
 * `end - 1`; early panes on count or processing time; a late element within the allowed lateness
 * updates its window and fires a late pane with the full result; an element too late for all its
 * windows goes to the late output; a window's state is freed when the watermark reaches
 * `end - 1 + lateness`. Output order depends only on the input order, and `save()` /
 * `WindowOperator.load()` (or their bytes, `snapshot()` / `restore()`) carry the state across a
 * restart exactly.
 */
export class WindowOperator<T, ACC, OUT> {
  private readonly windows = new Map<string, Map<number, WindowState<ACC>>>();
  private readonly timers = new Heap<Timer>(compareTimers);
  private readonly dirty = new Set<WindowState<ACC>>();
  private currentWatermark = NO_WATERMARK;
  private readonly lateness: number;
  private readonly everyCount: number;
  private readonly everyMs: number;
  private readonly fireLate: boolean;

  constructor(private readonly options: WindowOptions<T, ACC, OUT>) {
    this.lateness = options.allowedLatenessMs ?? 0;
    if (!Number.isSafeInteger(this.lateness) || this.lateness < 0) throw new WindowingError(`allowed lateness must be a non-negative integer, got ${this.lateness}`);
    this.everyCount = options.trigger?.early?.everyCount ?? 0;
    this.everyMs = options.trigger?.early?.everyMs ?? 0;
    this.fireLate = options.trigger?.late ?? true;
    if (options.assigner.kind === 'global' && this.everyCount <= 0 && this.everyMs <= 0) {
      throw new WindowingError('a global window never ends: give it an early trigger (everyCount or everyMs)');
    }
  }

  get watermark(): number {
    return this.currentWatermark;
  }

  /** Windows holding state (for tests and metrics). */
  get openWindows(): number {
    let n = 0;
    for (const byStart of this.windows.values()) n += byStart.size;
    return n;
  }

  /** Adds an element; `now` is processing time, used by early panes on time. */
  process(key: string, timestamp: number, element: T, now = 0): ProcessResult<T, OUT> {
    const panes: Pane<OUT>[] = [];
    const accepted = this.options.assigner.merging ? this.processMerging(key, timestamp, element, now, panes) : this.processFixed(key, timestamp, element, now, panes);
    return accepted ? { panes } : { panes, late: { key, timestamp, element, watermark: this.currentWatermark } };
  }

  /** Moves event time forward: fires the windows it passes and frees the ones past their lateness. */
  advanceWatermark(watermark: number): Pane<OUT>[] {
    const panes: Pane<OUT>[] = [];
    if (watermark <= this.currentWatermark) return panes;
    this.currentWatermark = watermark;
    for (let timer = this.timers.peek(); timer && timer.time <= watermark; timer = this.timers.peek()) {
      this.timers.pop();
      const state = this.windows.get(timer.key)?.get(timer.start);
      if (!state || state.end !== timer.end) continue;
      if (timer.kind === 0) {
        if (state.firedOnTime || maxTimestamp(state) !== timer.time) continue;
        state.firedOnTime = true;
        panes.push(this.fire(state, 'on_time'));
        if (this.lateness === 0) this.free(state);
        else this.timers.push({ time: timer.time + this.lateness, kind: 1, key: state.key, start: state.start, end: state.end });
      } else if (state.firedOnTime && maxTimestamp(state) + this.lateness === timer.time) {
        this.free(state);
      }
    }
    return panes;
  }

  /** Processing time moves: early panes for windows whose first unfired element is `everyMs` old. */
  onProcessingTime(now: number): Pane<OUT>[] {
    if (this.everyMs <= 0 || this.dirty.size === 0) return [];
    // Windows the watermark has passed are not early any more (their late panes fire on arrival).
    const due = [...this.dirty].filter(
      (s) => s.firstUnfiredAt !== undefined && now - s.firstUnfiredAt >= this.everyMs && (isGlobal(s) || maxTimestamp(s) > this.currentWatermark),
    );
    due.sort((a, b) => a.end - b.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.start - b.start);
    return due.map((s) => this.fire(s, 'early'));
  }

  /** The state as plain JSON data, accumulators through the aggregate's `save`. */
  save(): OperatorSnapshot {
    const save = this.options.aggregate.save ?? ((acc: ACC) => acc);
    const windows: SavedWindow[] = [];
    for (const key of [...this.windows.keys()].sort()) {
      const byStart = this.windows.get(key)!;
      for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
        const s = byStart.get(start)!;
        windows.push([key, s.start, s.end, s.index, s.sinceFire, s.firedOnTime, s.firstUnfiredAt ?? null, save(s.acc)]);
      }
    }
    return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, watermark: this.currentWatermark, windows };
  }

  /** `save()` as bytes (UTF-8 JSON). */
  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify(this.save()), 'utf8');
  }

  /** Rebuilds an operator from `snapshot()` bytes; `options` must be those it was taken with. */
  static restore<T, ACC, OUT>(options: WindowOptions<T, ACC, OUT>, bytes: Uint8Array): WindowOperator<T, ACC, OUT> {
    let saved: unknown;
    try {
      saved = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      throw new WindowingError(`not a windowing snapshot: ${(error as Error).message}`);
    }
    return WindowOperator.load(options, saved as OperatorSnapshot);
  }

  /** Rebuilds an operator from `save()` data; `options` must be those it was saved with. */
  static load<T, ACC, OUT>(options: WindowOptions<T, ACC, OUT>, snapshot: OperatorSnapshot): WindowOperator<T, ACC, OUT> {
    if (snapshot.format !== SNAPSHOT_FORMAT) throw new WindowingError(`not a windowing snapshot (format "${String(snapshot.format)}")`);
    if (snapshot.version !== SNAPSHOT_VERSION) throw new WindowingError(`windowing snapshot version ${snapshot.version} is not supported (this code reads ${SNAPSHOT_VERSION})`);
    const operator = new WindowOperator(options);
    const load = options.aggregate.load ?? ((saved: unknown) => saved as ACC);
    operator.currentWatermark = snapshot.watermark;
    for (const [key, start, end, index, sinceFire, firedOnTime, firstUnfiredAt, acc] of snapshot.windows) {
      const state: WindowState<ACC> = { key, start, end, acc: load(acc), index, sinceFire, firedOnTime, firstUnfiredAt: firstUnfiredAt ?? undefined };
      operator.store(state);
      if (firstUnfiredAt !== null && operator.everyMs > 0) operator.dirty.add(state);
      if (!isGlobal(state)) {
        operator.timers.push(
          firedOnTime ? { time: maxTimestamp(state) + operator.lateness, kind: 1, key, start, end } : { time: maxTimestamp(state), kind: 0, key, start, end },
        );
      }
    }
    return operator;
  }

  private isLate(window: Window): boolean {
    return !isGlobal(window) && maxTimestamp(window) + this.lateness <= this.currentWatermark;
  }

  private processFixed(key: string, timestamp: number, element: T, now: number, panes: Pane<OUT>[]): boolean {
    let accepted = false;
    for (const window of this.options.assigner.assign(timestamp, element, key)) {
      if (this.isLate(window)) continue;
      accepted = true;
      let state = this.windows.get(key)?.get(window.start);
      if (!state) {
        state = { key, start: window.start, end: window.end, acc: this.options.aggregate.create(), index: 0, sinceFire: 0, firedOnTime: false, firstUnfiredAt: undefined };
        this.store(state);
        if (!isGlobal(window) && maxTimestamp(window) > this.currentWatermark) this.timers.push({ time: maxTimestamp(window), kind: 0, key, start: window.start, end: window.end });
      }
      this.addTo(state, element, now, panes);
    }
    return accepted;
  }

  private processMerging(key: string, timestamp: number, element: T, now: number, panes: Pane<OUT>[]): boolean {
    const [window] = this.options.assigner.assign(timestamp, element, key);
    const byStart = this.windows.get(key);
    const overlapping = byStart ? [...byStart.values()].filter((s) => intersects(s, window!)).sort((a, b) => a.start - b.start) : [];
    const merged = overlapping.reduce<Window>((w, s) => cover(w, s), window!);
    if (this.isLate(merged)) return false;
    let state: WindowState<ACC>;
    if (overlapping.length === 1 && overlapping[0]!.start === merged.start && overlapping[0]!.end === merged.end) {
      state = overlapping[0]!;
    } else {
      const { aggregate } = this.options;
      let acc = aggregate.create();
      let index = 0;
      let sinceFire = 0;
      let firedOnTime = false;
      let firstUnfiredAt: number | undefined;
      for (const s of overlapping) {
        acc = aggregate.merge(acc, s.acc);
        index = Math.max(index, s.index);
        sinceFire += s.sinceFire;
        firedOnTime ||= s.firedOnTime;
        if (s.firstUnfiredAt !== undefined) firstUnfiredAt = Math.min(firstUnfiredAt ?? s.firstUnfiredAt, s.firstUnfiredAt);
        this.free(s);
      }
      // A session that grew past the watermark fires on time again when the watermark gets there.
      if (maxTimestamp(merged) > this.currentWatermark) firedOnTime = false;
      state = { key, start: merged.start, end: merged.end, acc, index, sinceFire, firedOnTime, firstUnfiredAt };
      this.store(state);
      if (firstUnfiredAt !== undefined && this.everyMs > 0) this.dirty.add(state);
      this.timers.push(
        firedOnTime
          ? { time: maxTimestamp(merged) + this.lateness, kind: 1, key, start: merged.start, end: merged.end }
          : { time: maxTimestamp(merged), kind: 0, key, start: merged.start, end: merged.end },
      );
    }
    this.addTo(state, element, now, panes);
    return true;
  }

  private addTo(state: WindowState<ACC>, element: T, now: number, panes: Pane<OUT>[]): void {
    state.acc = this.options.aggregate.add(state.acc, element);
    state.sinceFire++;
    if (state.firstUnfiredAt === undefined) {
      state.firstUnfiredAt = now;
      if (this.everyMs > 0) this.dirty.add(state);
    }
    if (!isGlobal(state) && maxTimestamp(state) <= this.currentWatermark) {
      // Late but within the allowed lateness: the window has been passed; fire at once.
      if (!state.firedOnTime) {
        state.firedOnTime = true;
        this.timers.push({ time: maxTimestamp(state) + this.lateness, kind: 1, key: state.key, start: state.start, end: state.end });
      }
      if (this.fireLate) panes.push(this.fire(state, 'late'));
    } else if (this.everyCount > 0 && state.sinceFire >= this.everyCount) {
      panes.push(this.fire(state, 'early'));
    }
  }

  private fire(state: WindowState<ACC>, timing: PaneTiming): Pane<OUT> {
    state.sinceFire = 0;
    state.firstUnfiredAt = undefined;
    this.dirty.delete(state);
    return {
      key: state.key,
      window: { start: state.start, end: state.end },
      timestamp: maxTimestamp(state),
      value: this.options.aggregate.result(state.acc),
      timing,
      index: state.index++,
    };
  }

  private store(state: WindowState<ACC>): void {
    let byStart = this.windows.get(state.key);
    if (!byStart) {
      byStart = new Map();
      this.windows.set(state.key, byStart);
    }
    byStart.set(state.start, state);
  }

  private free(state: WindowState<ACC>): void {
    const byStart = this.windows.get(state.key);
    if (byStart?.get(state.start) === state) {
      byStart.delete(state.start);
      if (byStart.size === 0) this.windows.delete(state.key);
    }
    this.dirty.delete(state);
  }
}
