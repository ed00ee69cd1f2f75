import type { ClientDimensions, ViewContext, ViewMetrics, ViewSnapshot } from '@sightline/contracts';

/** 2023-11-14T22:14:00Z: a minute boundary. */
export const T0 = 1_700_000_040_000;

export function metrics(overrides: Partial<ViewMetrics> = {}): ViewMetrics {
  return {
    startup_time_ms: null,
    started: false,
    exited_before_start: false,
    start_failed: false,
    playback_failed: false,
    watch_time_ms: 0,
    playing_time_ms: 0,
    rebuffer_count: 0,
    rebuffer_duration_ms: 0,
    rebuffer_percentage: 0,
    weighted_average_bitrate_bps: null,
    max_upscale: 0,
    average_upscale: 0,
    ...overrides,
  };
}

export interface ViewScript {
  readonly id: string;
  readonly context: ViewContext;
  readonly client?: ClientDimensions;
  /** Snapshots in revision order: server time (ms after T0), status, metrics. */
  readonly steps: readonly { at: number; status?: 'active' | 'completed'; metrics: Partial<ViewMetrics> }[];
}

export function snapshotsOf(script: ViewScript): ViewSnapshot[] {
  return script.steps.map((step, i) => ({
    v: 1,
    view_id: script.id,
    property_id: 'prop',
    status: step.status ?? 'active',
    revision: i + 1,
    context: script.context,
    ...(script.client ? { client: script.client } : {}),
    first_event_at: T0 + script.steps[0]!.at,
    last_event_at: T0 + step.at,
    last_received_at: T0 + step.at,
    last_seq: i,
    metrics: metrics(step.metrics),
  }));
}

/**
 * Three views over two minutes, the worked example of docs/aggregates.md:
 * - A (cdn a, DE) starts in 2 s, plays 40 s at 3 Mb/s with one 3 s stall in minute 0, plays 15 s
 *   more in minute 1 and ends there.
 * - B (cdn b, US) gives up before the first frame in minute 0 (its completion comes after the
 *   silence, in minute 1 of server time, but belongs to minute 0).
 * - C (cdn a, US) starts in 6 s in minute 0, plays 30 s in minute 1 and fails there.
 */
export const SCRIPTED_FLEET: ViewScript[] = [
  {
    id: 'A',
    context: { cdn: 'a', video_title: 'Nature', stream_type: 'vod', player_name: 'hls.js', player_version: '1.5.0' },
    client: { country: 'DE', asn: 3320, device_type: 'desktop' },
    steps: [
      { at: 5_000, metrics: { watch_time_ms: 0 } },
      { at: 8_000, metrics: { started: true, startup_time_ms: 2000, watch_time_ms: 3000, playing_time_ms: 1000 } },
      {
        at: 50_000,
        metrics: { started: true, startup_time_ms: 2000, watch_time_ms: 45_000, playing_time_ms: 40_000, rebuffer_count: 1, rebuffer_duration_ms: 3000, weighted_average_bitrate_bps: 3_000_000 },
      },
      {
        at: 70_000,
        metrics: { started: true, startup_time_ms: 2000, watch_time_ms: 60_000, playing_time_ms: 55_000, rebuffer_count: 1, rebuffer_duration_ms: 3000, weighted_average_bitrate_bps: 3_000_000 },
      },
      {
        at: 70_000,
        status: 'completed',
        metrics: { started: true, startup_time_ms: 2000, watch_time_ms: 60_000, playing_time_ms: 55_000, rebuffer_count: 1, rebuffer_duration_ms: 3000, weighted_average_bitrate_bps: 3_000_000 },
      },
    ],
  },
  {
    id: 'B',
    context: { cdn: 'b', video_title: 'Nature', stream_type: 'vod' },
    client: { country: 'US', asn: 7922, device_type: 'mobile' },
    steps: [
      { at: 6_000, metrics: {} },
      { at: 10_000, metrics: { watch_time_ms: 4000 } },
      { at: 10_000, status: 'completed', metrics: { watch_time_ms: 4000, exited_before_start: true } },
    ],
  },
  {
    id: 'C',
    context: { cdn: 'a', video_title: 'News', stream_type: 'live' },
    client: { country: 'US', asn: 7922, device_type: 'tv' },
    steps: [
      { at: 20_000, metrics: {} },
      { at: 25_000, metrics: { started: true, startup_time_ms: 6000, watch_time_ms: 5000, playing_time_ms: 0 } },
      {
        at: 65_000,
        status: 'completed',
        metrics: { started: true, startup_time_ms: 6000, watch_time_ms: 40_000, playing_time_ms: 30_000, playback_failed: true, weighted_average_bitrate_bps: 1_000_000 },
      },
    ],
  },
];

/** The order the scorer sees the snapshots in: by server time, B's silence completion 60 s after its last beacon. */
export function arrivals(): { snapshot: ViewSnapshot; now: number }[] {
  const all = SCRIPTED_FLEET.flatMap((script) =>
    snapshotsOf(script).map((snapshot) => ({
      snapshot,
      now: snapshot.status === 'completed' && script.id === 'B' ? snapshot.last_received_at + 60_000 : snapshot.last_received_at + 500,
    })),
  );
  return all.sort((a, b) => a.now - b.now || a.snapshot.revision - b.snapshot.revision);
}
