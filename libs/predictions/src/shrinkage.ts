/** Observations of one cohort of a quantity: their weight (views, minutes) and their sum. */
export interface Observed {
  readonly weight: number;
  readonly sum: number;
}

/** A cohort whose mean is expected to be `prior` (its parent's estimate) rather than the grand mean. */
interface ObservedWithPrior extends Observed {
  readonly prior: number;
}

/**
 * The cohort's estimate shrunk towards its parent's: `(sum + strength * prior) / (weight + strength)`.
 * A cohort with little weight stays near the parent; with much more than `strength`, it speaks for itself.
 */
export function shrink(observed: Observed, prior: number, strength: number): number {
  return (observed.sum + strength * prior) / (observed.weight + strength);
}

export interface StrengthBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Empirical-Bayes prior strength of a dimension (method of moments): how many observations a
 * cohort needs before its own mean counts as much as its parent's, `within / between` variance.
 * `within` is the variance of one observation (p(1-p) for a rate, λ for a Poisson count per unit,
 * σ² for a mean); `between` is the variance of the cohorts' true means, estimated from the spread
 * of their observed means beyond what `within` explains. No spread beyond noise: `bounds.max`.
 * Cohorts with a `prior` are measured against it (their parent's estimate), others against the
 * weighted grand mean.
 */
export function priorStrength(cohorts: readonly (Observed | ObservedWithPrior)[], within: number, bounds: StrengthBounds): number {
  const used = cohorts.filter((c) => c.weight > 0);
  const total = used.reduce((w, c) => w + c.weight, 0);
  if (used.length < 2 || total <= 0 || !(within > 0)) return bounds.max;
  const withPriors = used.every((c) => 'prior' in c);
  const grand = used.reduce((s, c) => s + c.sum, 0) / total;
  const centre = (c: Observed | ObservedWithPrior) => ('prior' in c && withPriors ? c.prior : grand);
  const spread = used.reduce((q, c) => q + c.weight * (c.sum / c.weight - centre(c)) ** 2, 0);
  const scale = withPriors ? total : total - used.reduce((s, c) => s + c.weight * c.weight, 0) / total;
  const freedom = withPriors ? used.length : used.length - 1;
  const between = (spread - freedom * within) / scale;
  if (!(scale > 0) || !(between > 0)) return bounds.max;
  return Math.min(bounds.max, Math.max(bounds.min, within / between));
}

const EPS = 1e-4;

/** log(p / (1 - p)), p kept inside (0, 1). */
export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
