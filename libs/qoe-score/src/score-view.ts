import type { Scores, ScoredView, ViewSnapshot } from '@sightline/contracts';
import { playbackSuccessScore, smoothnessScore, startupTimeScore, videoQualityScore } from './formulas';
import { overallScore, SCORE_VERSION } from './overall';

const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);

/** The scores of a view snapshot, each rounded to two decimals (docs/metrics.md#scores). */
export function scoresOf(view: Pick<ViewSnapshot, 'metrics' | 'first_event_at' | 'last_event_at'>): Scores {
  const input = { metrics: view.metrics, durationMs: Math.max(0, view.last_event_at - view.first_event_at) };
  const sub = {
    playback_success: playbackSuccessScore(input),
    startup_time: startupTimeScore(input),
    smoothness: smoothnessScore(input),
    video_quality: videoQualityScore(input),
  };
  return {
    playback_success: round(sub.playback_success),
    startup_time: round(sub.startup_time),
    smoothness: round(sub.smoothness),
    video_quality: round(sub.video_quality),
    overall: round(overallScore(sub)),
  };
}

/** Scores a view snapshot: `live` while it plays, `final` once it is complete. */
export function scoreView(view: ViewSnapshot): ScoredView {
  return {
    v: 1,
    view_id: view.view_id,
    property_id: view.property_id,
    kind: view.status === 'completed' ? 'final' : 'live',
    revision: view.revision,
    score_version: SCORE_VERSION,
    scored_at_event_time: view.last_event_at,
    context: view.context,
    metrics: view.metrics,
    scores: scoresOf(view),
    ...(view.client ? { client: view.client } : {}),
  };
}
