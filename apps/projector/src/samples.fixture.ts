import type { Alert, CohortAggregate, ScoredView } from '@sightline/contracts';

/** A valid final score of view `viewId`, at `revision`. */
export function finalScore(viewId: string, revision: number, overall = 80): ScoredView {
  return {
    v: 1,
    view_id: viewId,
    property_id: 'demo',
    kind: 'final',
    revision,
    score_version: 'sightline-qoe/1',
    scored_at_event_time: Date.UTC(2026, 0, 1, 12, 0, revision),
    context: { cdn: 'fastly', video_title: 'Sintel' },
    metrics: {
      startup_time_ms: 900,
      started: true,
      exited_before_start: false,
      start_failed: false,
      playback_failed: false,
      watch_time_ms: 30_000,
      playing_time_ms: 29_000,
      rebuffer_count: 0,
      rebuffer_duration_ms: 0,
      rebuffer_percentage: 0,
      weighted_average_bitrate_bps: 2_000_000,
      max_upscale: 0,
      average_upscale: 0,
    },
    scores: { playback_success: 100, startup_time: 90, smoothness: 100, video_quality: 100, overall },
  };
}

/** A valid minute aggregate of `cdn=<value>` for the window starting at `windowStart`. */
export function minuteAggregate(value: string, windowStart: number, paneIndex: number, attempts: number, playbackFailures = 0): CohortAggregate {
  return {
    v: 1,
    property_id: 'shop',
    granularity: 'minute',
    window_start: windowStart,
    window_end: windowStart + 60_000,
    dimension: 'cdn',
    value,
    timing: paneIndex === 0 ? 'early' : 'on_time',
    pane_index: paneIndex,
    attempts,
    plays: attempts,
    ended_plays: attempts,
    concurrent_viewers: attempts,
    ebvs: 0,
    start_failures: 0,
    playback_failures: playbackFailures,
    ebvs_rate: 0,
    start_failure_rate: 0,
    playback_failure_rate_of_attempts: attempts > 0 ? playbackFailures / attempts : null,
    playback_failure_rate_of_ended_plays: attempts > 0 ? playbackFailures / attempts : null,
    startup_time_ms: { count: attempts, median: 1000, p95: 3000, sketch: 'AAAA' },
    watch_time_ms: attempts * 60_000,
    playing_time_ms: attempts * 59_000,
    rebuffer_time_ms: attempts * 1000,
    rebuffer_count: attempts,
    rebuffer_percentage: 1 / 60,
    rebuffering_ratio: 1 / 60,
    weighted_average_bitrate_bps: 2_000_000,
    scored_views: attempts,
    score_version: 'sightline-qoe/1',
    mean_scores: { overall: 80, playback_success: 100, startup_time: 90, smoothness: 90, video_quality: 100 },
    overall_score_distribution: [0, 0, 0, 0, 0, 0, 0, attempts, 0, 0],
  };
}

/** A valid alert transition. */
export function alertTransition(alertId: string, state: Alert['state'], at: number): Alert {
  return {
    v: 1,
    alert_id: alertId,
    property_id: 'demo',
    rule_id: 'anomalies',
    state,
    severity: 'warning',
    metric: 'overall_score',
    cohort: { cdn: 'fastly' },
    summary: `${alertId} ${state}`,
    observed: 40,
    expected: 50,
    at,
  };
}
