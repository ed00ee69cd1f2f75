export { scoreView, scoresOf } from './score-view';
export { SCORE_VERSION } from './overall';
