import type { ViewMetrics } from '@sightline/contracts';

/** Metrics of a view that played without trouble: 2 s startup, no stall, no upscale. Tests only. */
export const playedView: ViewMetrics = {
  startup_time_ms: 2000,
  started: true,
  exited_before_start: false,
  start_failed: false,
  playback_failed: false,
  watch_time_ms: 300_000,
  playing_time_ms: 295_000,
  rebuffer_count: 0,
  rebuffer_duration_ms: 0,
  rebuffer_percentage: 0,
  weighted_average_bitrate_bps: 3e6,
  max_upscale: 0,
  average_upscale: 0,
};
