import type { ViewMetrics } from '@sightline/contracts';

/**
 * The published per-view formulas (docs/metrics.md#scores, docs/qoe-score.md). Each returns 0-100,
 * or null where the formula gives no score.
 */

/** Shorter exits before start are not scored: they are mostly accidental clicks. */
const MIN_SCORED_EBVS_MS = 1000;

export interface ScoringInput {
  readonly metrics: ViewMetrics;
  /** Device time from the first to the last event of the view, ms. */
  readonly durationMs: number;
}

export function playbackSuccessScore({ metrics, durationMs }: ScoringInput): number | null {
  if (metrics.playback_failed) return 0;
  if (metrics.exited_before_start) return durationMs < MIN_SCORED_EBVS_MS ? null : 50;
  // Not started and not a failure: a business exception (geo-block, entitlement), not scored.
  if (!metrics.started) return null;
  return 100;
}

/** `100 * 8 / (8 + startup seconds)`: 2 s gives 80, 8 s gives 50. */
export function startupTimeScore({ metrics }: ScoringInput): number | null {
  if (metrics.startup_time_ms === null) return null;
  return (100 * 8) / (8 + metrics.startup_time_ms / 1000);
}

/** Mean of `100 / sqrt(1 + (count / 2)^2)` and `100 * exp(-10 * rebuffer percentage)`. */
export function smoothnessScore({ metrics }: ScoringInput): number | null {
  if (!metrics.started) return null;
  const countTerm = 100 / Math.sqrt(1 + (metrics.rebuffer_count / 2) ** 2);
  const shareTerm = 100 * Math.exp(-10 * metrics.rebuffer_percentage);
  return (countTerm + shareTerm) / 2;
}

/** `100 * exp(-0.33 * (0.15 * max upscale + 0.85 * average upscale))`. */
export function videoQualityScore({ metrics }: ScoringInput): number | null {
  if (!metrics.started) return null;
  return 100 * Math.exp(-0.33 * (0.15 * metrics.max_upscale + 0.85 * metrics.average_upscale));
}
