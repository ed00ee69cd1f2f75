export { scoreView, scoresOf } from './score-view';
export { SCORE_VERSION, OVERALL_WEIGHTS, overallScore } from './overall';
export type { SubScores } from './overall';
export {
  playbackSuccessScore,
  startupTimeScore,
  smoothnessScore,
  videoQualityScore,
  MIN_SCORED_EBVS_MS,
} from './formulas';
export type { ScoringInput } from './formulas';
