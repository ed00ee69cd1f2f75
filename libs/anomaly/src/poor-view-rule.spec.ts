import type { ScoredView } from '@sightline/contracts';
import { detectPoorView } from './poor-view-rule';

const view = (overall: number | null, extra: Partial<ScoredView> = {}): ScoredView => ({
  v: 1,
  view_id: 'v1',
  property_id: 'p1',
  kind: 'final',
  revision: 3,
  score_version: 'sightline-qoe/1',
  scored_at_event_time: 1000,
  context: { cdn: 'cdn-a', player_name: 'hls.js', viewer_id: 'someone' },
  metrics: {
    startup_time_ms: 9000,
    started: true,
    exited_before_start: false,
    start_failed: false,
    playback_failed: false,
    watch_time_ms: 60_000,
    playing_time_ms: 30_000,
    rebuffer_count: 4,
    rebuffer_duration_ms: 21_000,
    rebuffer_percentage: 0.35,
    weighted_average_bitrate_bps: 1e6,
    max_upscale: 0,
    average_upscale: 0,
  },
  scores: { playback_success: 100, startup_time: 47, smoothness: 20, video_quality: 100, overall },
  ...extra,
});

describe('poor-view detector', () => {
  it.each([
    [49.9, 'warning'],
    [24.9, 'critical'],
  ])('flags a final view scoring %d as %s, with its cohort', (overall, severity) => {
    const anomaly = detectPoorView(view(overall), { threshold: 50 });
    expect(anomaly).toMatchObject({
      metric: 'overall_score',
      observed: overall,
      expected: 50,
      severity,
      cohort: { cdn: 'cdn-a', player_name: 'hls.js' },
      evidence: { view_ids: ['v1'] },
    });
    expect(anomaly?.cohort).not.toHaveProperty('viewer_id');
  });

  it('leaves good views, live scores and unscored views alone', () => {
    expect(detectPoorView(view(50), { threshold: 50 })).toBeUndefined();
    expect(detectPoorView(view(10, { kind: 'live' }), { threshold: 50 })).toBeUndefined();
    expect(detectPoorView(view(null), { threshold: 50 })).toBeUndefined();
  });

  it('always flags a playback failure as critical', () => {
    const failed = view(0, { metrics: { ...view(0).metrics, playback_failed: true } });
    expect(detectPoorView(failed, { threshold: 50 })?.severity).toBe('critical');
  });

  it('gives the same anomaly the same id', () => {
    expect(detectPoorView(view(10), { threshold: 50 })?.anomaly_id).toBe(detectPoorView(view(12), { threshold: 50 })?.anomaly_id);
  });
});
