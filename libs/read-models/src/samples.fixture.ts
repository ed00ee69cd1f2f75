import type { Alert, CohortAggregate, ScoredView } from '@sightline/contracts';

/** A valid final score; override any field. */
export function scoredView(overrides: Partial<ScoredView> = {}): ScoredView {
  return {
    v: 1,
    view_id: 'view-1',
    property_id: 'demo',
    kind: 'final',
    revision: 1,
    score_version: 'sightline-qoe/1',
    scored_at_event_time: Date.UTC(2026, 0, 1, 12, 0, 0),
    context: { video_title: 'Big Buck Bunny', cdn: 'fastly', player_name: 'hls.js', stream_type: 'vod' },
    metrics: {
      startup_time_ms: 1200,
      started: true,
      exited_before_start: false,
      start_failed: false,
      playback_failed: false,
      watch_time_ms: 60_000,
      playing_time_ms: 58_000,
      rebuffer_count: 1,
      rebuffer_duration_ms: 2000,
      rebuffer_percentage: 2000 / 60_000,
      weighted_average_bitrate_bps: 3_000_000,
      max_upscale: 0,
      average_upscale: 0,
    },
    scores: { playback_success: 100, startup_time: 87, smoothness: 80, video_quality: 100, overall: 88 },
    ...overrides,
  };
}

/** A valid minute aggregate of the `cdn=fastly` cohort; override any field. */
export function cohortAggregate(overrides: Partial<CohortAggregate> = {}): CohortAggregate {
  return {
    v: 1,
    property_id: 'shop',
    granularity: 'minute',
    window_start: Date.UTC(2026, 0, 1, 12, 0, 0),
    window_end: Date.UTC(2026, 0, 1, 12, 1, 0),
    dimension: 'cdn',
    value: 'fastly',
    timing: 'early',
    pane_index: 0,
    attempts: 10,
    plays: 9,
    ended_plays: 4,
    concurrent_viewers: 12,
    ebvs: 1,
    start_failures: 0,
    playback_failures: 1,
    ebvs_rate: 0.1,
    start_failure_rate: 0,
    playback_failure_rate_of_attempts: 0.1,
    playback_failure_rate_of_ended_plays: 0.25,
    startup_time_ms: { count: 9, median: 1100, p95: 4000, sketch: 'AAAA' },
    watch_time_ms: 600_000,
    playing_time_ms: 580_000,
    rebuffer_time_ms: 20_000,
    rebuffer_count: 3,
    rebuffer_percentage: 20_000 / 600_000,
    rebuffering_ratio: 20_000 / 600_000,
    weighted_average_bitrate_bps: 2_500_000,
    scored_views: 4,
    score_version: 'sightline-qoe/1',
    mean_scores: { overall: 70, playback_success: 90, startup_time: 80, smoothness: 75, video_quality: 95 },
    overall_score_distribution: [0, 0, 0, 0, 1, 0, 1, 1, 1, 0],
    ...overrides,
  };
}

/** A valid firing alert; override any field. */
export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    v: 1,
    alert_id: 'anomalies:poor-view/1:demo:view-1',
    property_id: 'demo',
    rule_id: 'anomalies',
    state: 'firing',
    severity: 'warning',
    metric: 'overall_score',
    cohort: { cdn: 'fastly' },
    summary: 'View view-1 scored 43, below 50',
    observed: 43,
    expected: 50,
    at: Date.UTC(2026, 0, 1, 12, 0, 5),
    ...overrides,
  };
}
