/** The lowest watermark: nothing is known yet. */
export const NO_WATERMARK = Number.MIN_SAFE_INTEGER;

/**
 * Watermarks for input whose elements arrive at most `boundMs` out of order: the largest
 * timestamp seen, minus the bound, minus 1 (Flink's BoundedOutOfOrdernessWatermarks). Monotone.
 */
export class BoundedOutOfOrderness {
  private maxTimestamp = NO_WATERMARK + 1;
  private emitted = NO_WATERMARK;

  constructor(readonly boundMs: number) {
    if (!Number.isSafeInteger(boundMs) || boundMs < 0) throw new RangeError(`out-of-orderness bound must be a non-negative integer, got ${boundMs}`);
  }

  observe(timestamp: number): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }

  current(): number {
    const candidate = this.maxTimestamp === NO_WATERMARK + 1 ? NO_WATERMARK : this.maxTimestamp - this.boundMs - 1;
    if (candidate > this.emitted) this.emitted = candidate;
    return this.emitted;
  }
}

/** What a combined watermark does once every input is idle. */
export type AllIdlePolicy =
  /** Stay where it was until an input has an update again (Flink's idleness). */
  | 'hold'
  /**
   * Follow processing time: the newest input watermark plus the processing time since the last
   * input went idle, so that the last windows close when the input stops for good.
   */
  | 'follow-clock';

/** A combined watermark as plain JSON data (`save`), for checkpoints. */
export interface SavedCombinedWatermark {
  readonly emitted: number;
  /** `[input, watermark, last active at (processing time), marked idle]`, by input name. */
  readonly inputs: readonly (readonly [string, number, number, boolean])[];
}

interface InputState {
  watermark: number;
  lastActiveAt: number;
  idle: boolean;
}

/** Processing time of an input that never had an update. */
const NEVER = Number.MIN_SAFE_INTEGER;

/**
 * The watermark of several inputs (partitions): the minimum over the inputs that are not idle.
 * An input is idle when marked so, or when it has had no update for `idleAfterMs` of processing
 * time; an idle input stops holding the others back and rejoins with its next update. When
 * every input is idle the combined watermark holds or follows the clock (`whenAllIdle`). Monotone.
 */
export class CombinedWatermark {
  private readonly inputs = new Map<string, InputState>();
  private emitted = NO_WATERMARK;

  constructor(
    private readonly idleAfterMs = Number.POSITIVE_INFINITY,
    private readonly whenAllIdle: AllIdlePolicy = 'hold',
  ) {
    if (!(idleAfterMs >= 0)) throw new RangeError(`idleAfterMs must be a non-negative number of milliseconds, got ${idleAfterMs}`);
    if (whenAllIdle === 'follow-clock' && !Number.isFinite(idleAfterMs)) {
      throw new RangeError("a watermark that follows the clock when idle needs a finite idleAfterMs (inputs never go idle without one)");
    }
  }

  /** Input `input` reports `watermark` at processing time `now`; the input is active again even if its watermark did not advance. */
  update(input: string, watermark: number, now: number): void {
    const state = this.inputs.get(input);
    if (!state) {
      this.inputs.set(input, { watermark, lastActiveAt: now, idle: false });
      return;
    }
    if (watermark > state.watermark) state.watermark = watermark;
    if (now > state.lastActiveAt) state.lastActiveAt = now;
    state.idle = false;
  }

  markIdle(input: string): void {
    const state = this.inputs.get(input);
    if (state) state.idle = true;
    else this.inputs.set(input, { watermark: NO_WATERMARK, lastActiveAt: NEVER, idle: true });
  }

  isIdle(input: string, now: number): boolean {
    const state = this.inputs.get(input);
    return !state || state.idle || now - state.lastActiveAt >= this.idleAfterMs;
  }

  current(now: number): number {
    let min = Number.POSITIVE_INFINITY;
    let newest = NO_WATERMARK;
    let lastActiveAt = NEVER;
    for (const [name, state] of this.inputs) {
      if (!this.isIdle(name, now)) min = Math.min(min, state.watermark);
      newest = Math.max(newest, state.watermark);
      lastActiveAt = Math.max(lastActiveAt, state.lastActiveAt);
    }
    const candidate =
      min !== Number.POSITIVE_INFINITY ? min : this.whenAllIdle === 'follow-clock' && newest !== NO_WATERMARK ? newest + (now - lastActiveAt - this.idleAfterMs) : NO_WATERMARK;
    if (candidate > this.emitted) this.emitted = candidate;
    return this.emitted;
  }

  save(): SavedCombinedWatermark {
    const inputs = [...this.inputs.keys()].sort().map((name) => {
      const s = this.inputs.get(name)!;
      return [name, s.watermark, s.lastActiveAt, s.idle] as const;
    });
    return { emitted: this.emitted, inputs };
  }

  /** Rebuilds a combined watermark from `save()`, to run on with the given options. */
  static restore(saved: SavedCombinedWatermark, idleAfterMs?: number, whenAllIdle?: AllIdlePolicy): CombinedWatermark {
    const combined = new CombinedWatermark(idleAfterMs, whenAllIdle);
    combined.emitted = saved.emitted;
    for (const [name, watermark, lastActiveAt, idle] of saved.inputs) combined.inputs.set(name, { watermark, lastActiveAt, idle });
    return combined;
  }
}
