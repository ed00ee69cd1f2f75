/**
 * Sightline overall experience score, version 1 (docs/qoe-score.md).
 *
 * overall = playback_success / 100 x blend, where blend is the weighted harmonic mean of the
 * sub-scores present (smoothness 0.5, startup 0.3, quality 0.2), each floored at 1. A harmonic
 * mean lets one very bad sub-score pull the blend down further than an arithmetic mean would.
 * With no sub-score (an exit before start), the blend is 100 and overall equals playback success.
 */
export const SCORE_VERSION = 'sightline-qoe/1';

const OVERALL_WEIGHTS = { smoothness: 0.5, startup_time: 0.3, video_quality: 0.2 } as const;

export interface SubScores {
  readonly playback_success: number | null;
  readonly startup_time: number | null;
  readonly smoothness: number | null;
  readonly video_quality: number | null;
}

export function overallScore(sub: SubScores): number | null {
  if (sub.playback_success === null) return null;
  let weightSum = 0;
  let inverseSum = 0;
  for (const [name, weight] of Object.entries(OVERALL_WEIGHTS) as [keyof typeof OVERALL_WEIGHTS, number][]) {
    const value = sub[name];
    if (value === null) continue;
    weightSum += weight;
    inverseSum += weight / Math.max(1, value);
  }
  const blend = weightSum === 0 ? 100 : weightSum / inverseSum;
  return (sub.playback_success / 100) * blend;
}
