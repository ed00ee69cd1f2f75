import { GLOBAL_WINDOW, type Window } from './window';

/** Gives each element the windows it belongs to. Merging assigners (sessions) grow and join windows. */
export interface WindowAssigner<T = unknown> {
  readonly kind: 'tumbling' | 'sliding' | 'session' | 'global';
  readonly merging: boolean;
  assign(timestamp: number, element: T, key: string): Window[];
}

export class WindowingError extends Error {
  override readonly name = 'WindowingError';
}

/** `x mod m` in [0, m), also for negative x. */
const mod = (x: number, m: number): number => ((x % m) + m) % m;

function positive(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new WindowingError(`${name} must be a positive integer of milliseconds, got ${value}`);
}

/** Fixed windows of `sizeMs`, aligned to the epoch plus `offsetMs`. */
export function tumbling(sizeMs: number, offsetMs = 0): WindowAssigner {
  positive('window size', sizeMs);
  if (Math.abs(offsetMs) >= sizeMs) throw new WindowingError(`offset ${offsetMs} must be smaller than the window size ${sizeMs}`);
  return {
    kind: 'tumbling',
    merging: false,
    assign(timestamp) {
      const start = timestamp - mod(timestamp - offsetMs, sizeMs);
      return [{ start, end: start + sizeMs }];
    },
  };
}

/** Windows of `sizeMs` starting every `slideMs` (hopping); an element is in about size/slide of them. */
export function sliding(sizeMs: number, slideMs: number, offsetMs = 0): WindowAssigner {
  positive('window size', sizeMs);
  positive('slide', slideMs);
  if (slideMs > sizeMs) throw new WindowingError(`slide ${slideMs} larger than size ${sizeMs} would leave gaps between windows`);
  if (Math.abs(offsetMs) >= slideMs) throw new WindowingError(`offset ${offsetMs} must be smaller than the slide ${slideMs}`);
  return {
    kind: 'sliding',
    merging: false,
    assign(timestamp) {
      const windows: Window[] = [];
      const lastStart = timestamp - mod(timestamp - offsetMs, slideMs);
      for (let start = lastStart; start > timestamp - sizeMs; start -= slideMs) windows.push({ start, end: start + sizeMs });
      return windows;
    },
  };
}

/**
 * Sessions: each element opens `[t, t + gap)`, and windows that overlap or touch merge. The gap
 * is fixed, or chosen per element and key.
 */
export function session<T = unknown>(gap: number | ((element: T, key: string) => number)): WindowAssigner<T> {
  if (typeof gap === 'number') positive('session gap', gap);
  return {
    kind: 'session',
    merging: true,
    assign(timestamp, element, key) {
      const g = typeof gap === 'number' ? gap : gap(element, key);
      positive('session gap', g);
      return [{ start: timestamp, end: timestamp + g }];
    },
  };
}

/** One window for everything of a key; it needs an explicit trigger (count or processing time). */
export function global(): WindowAssigner {
  return { kind: 'global', merging: false, assign: () => [GLOBAL_WINDOW] };
}
