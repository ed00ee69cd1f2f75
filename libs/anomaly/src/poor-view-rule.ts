import type { Anomaly, Cohort, ScoredView, Severity, ViewContext } from '@sightline/contracts';

/**
 * A first, per-view detector: a completed view whose overall score falls below a threshold,
 * or that failed. It needs no history; the baselines of later detectors do.
 */
const POOR_VIEW_DETECTOR = 'poor-view/1';

export interface PoorViewRule {
  /** Overall scores below this are anomalous. Default 50. */
  readonly threshold: number;
}

const COHORT_DIMENSIONS = ['cdn', 'player_name', 'player_version', 'stream_type', 'video_id'] as const satisfies readonly (keyof ViewContext)[];

function cohortOf(context: ViewContext): Cohort {
  const cohort: Cohort = {};
  for (const dimension of COHORT_DIMENSIONS) {
    const value = context[dimension];
    if (value !== undefined) cohort[dimension] = value;
  }
  return cohort;
}

function severityOf(view: ScoredView, threshold: number): Severity {
  if (view.metrics.playback_failed) return 'critical';
  return (view.scores.overall ?? 0) < threshold / 2 ? 'critical' : 'warning';
}

/** Returns the anomaly a final scored view shows, if any. Live scores are not judged. */
export function detectPoorView(view: ScoredView, rule: PoorViewRule): Anomaly | undefined {
  if (view.kind !== 'final' || view.scores.overall === null) return undefined;
  if (view.scores.overall >= rule.threshold && !view.metrics.playback_failed) return undefined;
  const failed = view.metrics.playback_failed;
  return {
    v: 1,
    anomaly_id: `${POOR_VIEW_DETECTOR}:${view.property_id}:${view.view_id}`,
    property_id: view.property_id,
    detector: POOR_VIEW_DETECTOR,
    metric: 'overall_score',
    cohort: cohortOf(view.context),
    observed: view.scores.overall,
    expected: rule.threshold,
    severity: severityOf(view, rule.threshold),
    detected_at: view.scored_at_event_time,
    summary: failed
      ? `View ${view.view_id} failed (overall score ${view.scores.overall})`
      : `View ${view.view_id} scored ${view.scores.overall}, below ${rule.threshold}`,
    evidence: {
      view_ids: [view.view_id],
      details: {
        scores: view.scores,
        startup_time_ms: view.metrics.startup_time_ms,
        rebuffer_percentage: view.metrics.rebuffer_percentage,
      },
    },
  };
}
