/**
 * Robust online baselines. A robust EWMA follows a series' level and spread; each step's
 * residual is clipped at `clip` spreads (Huber), so one outlier moves the baseline by little,
 * and while the series is anomalous the detector does not feed it at all.
 */

/** A robust exponentially weighted level `m` and mean absolute deviation `s` of `n` samples. */
interface RobustEwma {
  m: number;
  s: number;
  n: number;
}

export interface BaselineOptions {
  /** Weight of a new sample once warmed up (the first samples average equally). */
  readonly alpha: number;
  /** Residuals are clipped at this many spreads. */
  readonly clip: number;
  /** Samples before the baseline gives a verdict. */
  readonly minSamples: number;
  /** Spread never below this (a flat series would make any change infinitely surprising). */
  readonly spreadFloor: number;
  /** Days of history an hour-of-day slot needs before it is used instead of the overall baseline. */
  readonly seasonalDays: number;
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = { alpha: 1 / 30, clip: 3, minSamples: 15, spreadFloor: 1e-6, seasonalDays: 3 };

/** sd = sqrt(pi/2) x mean absolute deviation, for normal data. */
const MAD_TO_SD = 1.2533;

function emptyEwma(): RobustEwma {
  return { m: 0, s: 0, n: 0 };
}

/**
 * Adds a sample. `noise` is the sampling noise the sample is known to carry (a rate over few
 * attempts): clipping never cuts inside it, so the level of a skewed, noisy series (failures of
 * 1% over 100 attempts: mostly 0 or 1, now and then 3) stays its mean, not its median.
 */
function updateEwma(e: RobustEwma, x: number, options: BaselineOptions, alpha = options.alpha, noise = 0): void {
  if (e.n === 0) {
    e.m = x;
    e.s = 0;
    e.n = 1;
    return;
  }
  const a = Math.max(alpha, 1 / (e.n + 1));
  const bound = options.clip * Math.max(e.s * MAD_TO_SD, noise, options.spreadFloor);
  const r = Math.min(bound, Math.max(-bound, x - e.m));
  e.m += a * r;
  e.s += a * (Math.abs(r) - e.s);
  e.n++;
}

/** The expected value and its spread (as a standard deviation) of a baseline. */
export interface Expectation {
  readonly expected: number;
  readonly spread: number;
  readonly samples: number;
  /** Which baseline answered: the hour-of-day slot or the overall one. */
  readonly seasonal: boolean;
}

/**
 * A metric's baseline for one cohort: an overall robust EWMA, and one per hour of the day (UTC)
 * that takes over once it has seen `seasonalDays` distinct days, so that a daily rhythm
 * (evening peaks, night-time devices) is expected rather than flagged.
 */
export interface SeasonalBaseline {
  overall: RobustEwma;
  /** Hour of day -> the slot's EWMA, the days it has seen and the last day it saw. */
  hours: Record<string, RobustEwma & { days: number; lastDay: number }>;
}

export function emptyBaseline(): SeasonalBaseline {
  return { overall: emptyEwma(), hours: {} };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Feeds one complete window's value, observed at event time `at` with sampling noise `noise`. */
export function learn(b: SeasonalBaseline, at: number, x: number, options: BaselineOptions = DEFAULT_BASELINE_OPTIONS, noise = 0): void {
  updateEwma(b.overall, x, options, options.alpha, noise);
  const hour = String(Math.floor((at % DAY_MS) / HOUR_MS));
  const day = Math.floor(at / DAY_MS);
  const slot = (b.hours[hour] ??= { ...emptyEwma(), days: 0, lastDay: -1 });
  if (slot.lastDay !== day) {
    slot.days++;
    slot.lastDay = day;
  }
  // About sixty windows an hour each day: a slot weighs the last few days.
  updateEwma(slot, x, options, options.alpha / 3, noise);
}

/** What the baseline expects at event time `at`, or undefined while it has too few samples. */
export function expectationAt(b: SeasonalBaseline, at: number, options: BaselineOptions = DEFAULT_BASELINE_OPTIONS): Expectation | undefined {
  const slot = b.hours[String(Math.floor((at % DAY_MS) / HOUR_MS))];
  if (slot && slot.days >= options.seasonalDays && slot.n >= options.minSamples) {
    return { expected: slot.m, spread: Math.max(slot.s * MAD_TO_SD, options.spreadFloor), samples: slot.n, seasonal: true };
  }
  if (b.overall.n < options.minSamples) return undefined;
  return { expected: b.overall.m, spread: Math.max(b.overall.s * MAD_TO_SD, options.spreadFloor), samples: b.overall.n, seasonal: false };
}
