/** An event-time window `[start, end)`. Its results carry the timestamp `end - 1`. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The window that holds everything; it never ends, so only an explicit trigger fires it. */
export const GLOBAL_WINDOW: Window = { start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER };

export const maxTimestamp = (w: Window): number => w.end - 1;

/** Windows that overlap or touch (Flink's rule for merging sessions: [0,10) and [10,20) merge). */
export const intersects = (a: Window, b: Window): boolean => a.start <= b.end && a.end >= b.start;

export const cover = (a: Window, b: Window): Window => ({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) });

export const isGlobal = (w: Window): boolean => w.start === GLOBAL_WINDOW.start && w.end === GLOBAL_WINDOW.end;
