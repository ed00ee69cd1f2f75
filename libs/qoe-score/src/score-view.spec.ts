import type { ViewMetrics } from '@sightline/contracts';
import { playedView } from './played-view.fixture';
import { scoresOf } from './score-view';

const base: ViewMetrics = playedView;

/** The table in docs/qoe-score.md, row by row. */
describe('docs/qoe-score.md examples', () => {
  it.each([
    ['2 s startup, no stall', base, 3000, { playback_success: 100, startup_time: 80, smoothness: 100, video_quality: 100, overall: 93.02 }],
    [
      '9 s startup, two stalls',
      { ...base, startup_time_ms: 9000, rebuffer_count: 2, rebuffer_duration_ms: 35_000, rebuffer_percentage: 35 / 60 },
      60_000,
      { playback_success: 100, startup_time: 47.06, smoothness: 35.5, video_quality: 100, overall: 44.53 },
    ],
    [
      'exit before start after 3 s',
      { ...base, started: false, startup_time_ms: null, exited_before_start: true },
      3000,
      { playback_success: 50, startup_time: null, smoothness: null, video_quality: null, overall: 50 },
    ],
    ['fatal error after play', { ...base, playback_failed: true }, 10_000, { playback_success: 0, overall: 0 }],
  ])('%s', (_name, metrics, durationMs, expected) => {
    expect(scoresOf({ metrics, first_event_at: 0, last_event_at: durationMs })).toMatchObject(expected);
  });
});
