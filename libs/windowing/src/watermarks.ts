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

interface InputState {
  watermark: number;
  lastActiveAt: number;
  idle: boolean;
}

/**
 * The watermark of several inputs (partitions): the minimum over the inputs that are not idle.
 * An input is idle when marked so, or when it has not advanced for `idleAfterMs` of processing
 * time; an idle input stops holding the others back and rejoins when it advances again. When
 * every input is idle the combined watermark stays where it was. Monotone.
 */
export class CombinedWatermark {
  private readonly inputs = new Map<string, InputState>();
  private emitted = NO_WATERMARK;

  constructor(private readonly idleAfterMs = Number.POSITIVE_INFINITY) {}

  update(input: string, watermark: number, now: number): void {
    const state = this.inputs.get(input);
    if (!state) {
      this.inputs.set(input, { watermark, lastActiveAt: now, idle: false });
      return;
    }
    if (watermark > state.watermark) {
      state.watermark = watermark;
      state.lastActiveAt = now;
      state.idle = false;
    }
  }

  markIdle(input: string): void {
    const state = this.inputs.get(input);
    if (state) state.idle = true;
    else this.inputs.set(input, { watermark: NO_WATERMARK, lastActiveAt: Number.NEGATIVE_INFINITY, idle: true });
  }

  isIdle(input: string, now: number): boolean {
    const state = this.inputs.get(input);
    return !state || state.idle || now - state.lastActiveAt >= this.idleAfterMs;
  }

  current(now: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (const [name, state] of this.inputs) if (!this.isIdle(name, now)) min = Math.min(min, state.watermark);
    if (min !== Number.POSITIVE_INFINITY && min > this.emitted) this.emitted = min;
    return this.emitted;
  }
}
