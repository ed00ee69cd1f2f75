/** A cohort of a window, seen against its baseline. */
export interface CauseCandidate {
  readonly dimension: string;
  readonly value: string;
  /** Viewers the value stands on (attempts, viewers or plays, by metric). */
  readonly volume: number;
  /** (observed - expected) x volume: how much of the metric's rise this cohort carries. */
  readonly excess: number;
  /** Surprise: standard deviations above the cohort's expectation. */
  readonly z: number;
  readonly observed: number;
  readonly expected: number;
}

export interface RootCause {
  readonly cohort: CauseCandidate;
  /** Its share of the positive excess of its own dimension (1 = all of the dimension's rise). */
  readonly shareOfDimension: number;
  /** Its share of the rise over all views, or null when all views did not rise. */
  readonly explainedShare: number | null;
  readonly summary: string;
  /** The next best explanations, for the evidence. */
  readonly alternatives: { dimension: string; value: string; share: number; volume: number }[];
}

export interface RootCauseOptions {
  /** Share of its dimension's rise a cohort must carry to be named. */
  readonly minShare: number;
  /** The cohort itself must be this surprising. */
  readonly minZ: number;
  readonly minVolume: number;
}

/**
 * Which cohort explains a degradation. Within each dimension (CDN, ASN, country, player
 * version, ..., and the configured combinations), a cohort's share is its excess over the sum of
 * the positive excesses of that dimension's values: a failing CDN holds nearly all of the CDN
 * dimension's rise, while the same failures spread over many ASNs, countries and devices. A
 * cohort qualifies when it holds at least `minShare` of its dimension and is itself surprising;
 * among those close to the best share (within 0.15), the smallest cohort wins: an ASN that is
 * down explains its country's rise as fully as the country does, and is the more precise cause.
 * With no qualifying cohort, the cause is the cohort that fired (all views: platform-wide).
 */
export function rootCause(candidates: readonly CauseCandidate[], trigger: CauseCandidate, options: RootCauseOptions): RootCause {
  const positive = new Map<string, number>();
  for (const c of candidates) if (c.dimension !== 'all' && c.excess > 0) positive.set(c.dimension, (positive.get(c.dimension) ?? 0) + c.excess);
  const scored = candidates
    .filter((c) => c.dimension !== 'all' && c.value !== 'other' && c.value !== 'unknown' && c.excess > 0)
    .map((c) => ({ c, share: c.excess / positive.get(c.dimension)! }));
  const qualifying = scored.filter(({ c, share }) => share >= options.minShare && c.z >= options.minZ && c.volume >= options.minVolume);
  const best = Math.max(0, ...qualifying.map((q) => q.share));
  const chosen = qualifying
    .filter((q) => q.share >= best - 0.15)
    .sort((x, y) => x.c.volume - y.c.volume || y.share - x.share || (x.c.dimension + x.c.value < y.c.dimension + y.c.value ? -1 : 1))[0];
  const all = candidates.find((c) => c.dimension === 'all');
  const cohort = chosen?.c ?? trigger;
  const explainedShare = all && all.excess > 0 ? Math.min(1, cohort.excess / all.excess) : null;
  const shareOfDimension = chosen?.share ?? (cohort.dimension === 'all' ? 1 : cohort.excess / (positive.get(cohort.dimension) ?? cohort.excess));
  const alternatives = scored
    .filter((q) => q.c !== cohort)
    .sort((x, y) => y.share * y.c.excess - x.share * x.c.excess)
    .slice(0, 3)
    .map(({ c, share }) => ({ dimension: c.dimension, value: c.value, share, volume: c.volume }));
  const summary = chosen
    ? `${cohort.dimension}=${cohort.value} holds ${Math.round(shareOfDimension * 100)}% of the rise among ${cohort.dimension} values${explainedShare === null ? '' : ` and ${Math.round(explainedShare * 100)}% of the rise over all views`}`
    : cohort.dimension === 'all'
      ? 'no single cohort explains it: platform-wide'
      : `no smaller cohort explains it better than ${cohort.dimension}=${cohort.value}`;
  return { cohort, shareOfDimension, explainedShare, summary, alternatives };
}
