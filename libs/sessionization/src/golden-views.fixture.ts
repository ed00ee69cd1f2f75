import type { PlayerEvent, PlayerEventType, ViewMetrics } from '@sightline/contracts';

export const T0 = 1_700_000_000_000;

/** `[seconds after T0, type, playhead seconds, extra]`, numbered from seq 0. */
export type Step = [number, PlayerEventType, number, Partial<PlayerEvent>?];

const none: Partial<ViewMetrics> = {
  rebuffer_count: 0,
  rebuffer_duration_ms: 0,
  seek_count: 0,
  seek_latency_ms: null,
  upshift_count: 0,
  downshift_count: 0,
  inferred_stall_count: 0,
  live_latency_ms: null,
  request_count: 0,
  request_failed_count: 0,
  request_throughput_bps: null,
  request_ttfb_mean_ms: null,
  ad_break_count: 0,
  ad_count: 0,
  ad_error_count: 0,
  ad_startup_time_ms: null,
  ad_time_ms: 0,
  flags: [],
};

const r720 = { rendition: { bitrate_bps: 3_000_000, width: 1280, height: 720 }, player_width: 1280, player_height: 720 };

/**
 * Scripted views with metrics computed by hand from docs/metrics.md#per-view-metrics, checked field by field.
 * Each expectation lists every metric the case is about; `none` holds the quiet defaults.
 */
export const GOLDEN: { name: string; steps: Step[]; expected: Partial<ViewMetrics>; endReason?: string }[] = [
  {
    name: 'a clean VOD view: 2 s startup, 60 s played to the end',
    steps: [[0, 'viewstart', 0], [0, 'play', 0], [2, 'playing', 0, r720], [12, 'heartbeat', 10], [62, 'ended', 60], [62, 'viewend', 60]],
    expected: { ...none, startup_time_ms: 2000, started: true, exited_before_start: false, start_failed: false, playback_failed: false, watch_time_ms: 62_000, playing_time_ms: 60_000, rebuffer_percentage: 0, weighted_average_bitrate_bps: 3_000_000, max_upscale: 0, average_upscale: 0 },
  },
  {
    name: 'exit before video start (EBVS) after 8 s',
    steps: [[0, 'viewstart', 0], [0, 'play', 0], [8, 'viewend', 0]],
    expected: { ...none, startup_time_ms: null, started: false, exited_before_start: true, start_failed: false, playback_failed: false, watch_time_ms: 8000, playing_time_ms: 0 },
  },
  {
    name: 'a player loaded and left without a play request: not an exit before start',
    steps: [[0, 'playerready', 0], [0, 'viewstart', 0], [30, 'heartbeat', 0], [45, 'viewend', 0]],
    expected: { ...none, startup_time_ms: null, started: false, exited_before_start: false, start_failed: false, playback_failed: false, watch_time_ms: 0, playing_time_ms: 0 },
  },
  {
    name: 'a view of network requests only (CMCD request mode): not an exit before start',
    steps: [[0, 'requestcompleted', 0, { request: { kind: 'manifest' } }], [4, 'requestcompleted', 0, { request: { kind: 'media' } }], [8, 'viewend', 0]],
    expected: { ...none, started: false, exited_before_start: false, watch_time_ms: 0, request_count: 2 },
  },
  {
    name: 'video start failure: a fatal error before the first frame',
    steps: [[0, 'play', 0], [3, 'error', 0, { error: { code: 'MANIFEST_404', fatal: true } }], [3, 'viewend', 0]],
    expected: { ...none, started: false, exited_before_start: false, start_failed: true, playback_failed: true, watch_time_ms: 3000 },
  },
  {
    name: 'a business error (geo-block) fails the start but is not a playback failure',
    steps: [[0, 'play', 0], [1, 'error', 0, { error: { code: 'GEO_BLOCKED', fatal: true, business: true } }], [1, 'viewend', 0]],
    expected: { ...none, started: false, exited_before_start: false, start_failed: true, playback_failed: false },
  },
  {
    name: 'a playback failure after 30 s of playing',
    steps: [[0, 'play', 0], [1, 'playing', 0, r720], [31, 'error', 30, { error: { code: 'DECODE', fatal: true } }], [31, 'viewend', 30]],
    expected: { ...none, startup_time_ms: 1000, started: true, start_failed: false, playback_failed: true, watch_time_ms: 31_000, playing_time_ms: 30_000 },
  },
  {
    name: 'a warning error changes nothing',
    steps: [[0, 'play', 0], [1, 'playing', 0], [5, 'error', 4, { error: { code: 'FRAG_RETRY', fatal: false } }], [11, 'viewend', 10]],
    expected: { ...none, started: true, playback_failed: false, start_failed: false, watch_time_ms: 11_000, playing_time_ms: 10_000 },
  },
  {
    name: 'a stall inside a seek counts to the seek, not to rebuffering',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'seeking', 10], [11.5, 'rebufferstart', 10], [13, 'rebufferend', 120], [13, 'seeked', 120], [13.5, 'playing', 120], [23.5, 'viewend', 130]],
    expected: { ...none, seek_count: 1, seek_latency_ms: 2500, seek_buffering_ms: 2500, connection_induced_rebuffering_ratio: 0, watch_time_ms: 23_500, playing_time_ms: 20_000 },
  },
  {
    name: 'two seeks less than 2 s apart are one seek, timed from the first to playing after the last',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'seeking', 10], [11.5, 'playing', 60], [12.5, 'seeking', 61], [14, 'playing', 90], [24, 'viewend', 100]],
    expected: { ...none, seek_count: 1, seek_latency_ms: 3000, watch_time_ms: 24_000, playing_time_ms: 21_000 },
  },
  {
    name: 'seeks 5 s apart are two, with their mean latency',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'seeking', 10], [12, 'playing', 50], [17, 'seeking', 55], [20, 'playing', 100], [30, 'viewend', 110]],
    expected: { ...none, seek_count: 2, seek_latency_ms: 2000, watch_time_ms: 30_000, playing_time_ms: 25_000 },
  },
  {
    name: 'up- and downshifts, and the bitrate weighted by time played at each',
    steps: [
      [0, 'play', 0],
      [2, 'playing', 0, { rendition: { bitrate_bps: 1_000_000 } }],
      [12, 'renditionchange', 10, { rendition: { bitrate_bps: 3_000_000 } }],
      [22, 'renditionchange', 20, { rendition: { bitrate_bps: 2_000_000 } }],
      [32, 'renditionchange', 30, { rendition: { bitrate_bps: 6_000_000 } }],
      [42, 'viewend', 40],
    ],
    expected: { ...none, upshift_count: 2, downshift_count: 1, weighted_average_bitrate_bps: 3_000_000, playing_time_ms: 40_000 },
  },
  {
    name: 'a player that sends no rebuffer events: a stall inferred from a playhead that stood still, back-filled',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [21, 'heartbeat', 14], [31, 'heartbeat', 24], [31, 'viewend', 24]],
    expected: { ...none, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 6000, playing_time_ms: 24_000, watch_time_ms: 31_000, rebuffer_percentage: 6000 / 31_000 },
  },
  {
    name: 'a device that slept 10 minutes while playing: a clock jump, flagged and not counted',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [611, 'heartbeat', 10], [621, 'heartbeat', 20], [621, 'viewend', 20]],
    expected: { ...none, rebuffer_count: 0, playing_time_ms: 20_000, watch_time_ms: 21_000, flags: ['clock_jumped'] },
  },
  {
    name: 'a device clock that went 7 s backwards: flagged, the backwards step counts nothing',
    steps: [[0, 'play', 0], [2, 'playing', 0], [12, 'heartbeat', 10], [5, 'heartbeat', 20], [15, 'heartbeat', 30], [15, 'viewend', 30]],
    expected: { ...none, playing_time_ms: 13_000, watch_time_ms: 15_000, flags: ['clock_went_backwards'] },
  },
  {
    name: 'network requests: throughput is sum(bits) / sum(request time), failures counted apart',
    steps: [
      [0, 'play', 0],
      [1, 'playing', 0],
      [2, 'requestcompleted', 1, { request: { kind: 'media', status: 200, bytes: 250_000, duration_ms: 500, ttfb_ms: 50 } }],
      [6, 'requestcompleted', 5, { request: { kind: 'media', status: 200, bytes: 500_000, duration_ms: 1500, ttfb_ms: 150 } }],
      [8, 'requestfailed', 7, { request: { kind: 'media', status: 503 } }],
      [11, 'viewend', 10],
    ],
    expected: { ...none, request_count: 3, request_failed_count: 1, request_throughput_bps: 3_000_000, request_ttfb_mean_ms: 100 },
  },
  {
    name: 'paused time is out of watch time; the resume is part of it',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'pause', 10], [41, 'play', 10], [42, 'playing', 10], [52, 'viewend', 20]],
    expected: { ...none, startup_time_ms: 1000, watch_time_ms: 22_000, playing_time_ms: 20_000 },
  },
  {
    name: 'a reported rebuffer of 5 s in a 5-minute view',
    steps: [[0, 'play', 0], [2, 'playing', 0], [100, 'rebufferstart', 98], [105, 'rebufferend', 98], [302, 'viewend', 295]],
    expected: { ...none, rebuffer_count: 1, rebuffer_duration_ms: 5000, watch_time_ms: 302_000, playing_time_ms: 295_000, rebuffer_percentage: 5000 / 302_000 },
  },
  {
    name: 'a stall before the first frame belongs to startup',
    steps: [[0, 'play', 0], [1, 'rebufferstart', 0], [6, 'rebufferend', 0], [6, 'playing', 0], [16, 'viewend', 10]],
    expected: { ...none, startup_time_ms: 6000, rebuffer_count: 0, watch_time_ms: 16_000, playing_time_ms: 10_000 },
  },
  {
    name: '2x upscaling: a 640x360 rendition in a 1280x720 player',
    steps: [[0, 'play', 0], [1, 'playing', 0, { rendition: { bitrate_bps: 800_000, width: 640, height: 360 }, player_width: 1280, player_height: 720 }], [21, 'viewend', 20]],
    expected: { ...none, max_upscale: 1, average_upscale: 1, weighted_average_bitrate_bps: 800_000 },
  },
  {
    name: 'delta encoding: the rendition sent once is carried to the end',
    steps: [[0, 'play', 0], [1, 'playing', 0, { rendition: { bitrate_bps: 2_000_000 } }], [11, 'heartbeat', 10], [21, 'viewend', 20]],
    expected: { ...none, weighted_average_bitrate_bps: 2_000_000, playing_time_ms: 20_000 },
  },
  {
    name: 'a fatal error during a stall: the stall counts, and the view failed',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'rebufferstart', 10], [21, 'error', 10, { error: { code: 'NETWORK', fatal: true } }], [21, 'viewend', 10]],
    expected: { ...none, rebuffer_count: 1, rebuffer_duration_ms: 10_000, playback_failed: true, watch_time_ms: 21_000, playing_time_ms: 10_000 },
  },
  {
    name: 'a viewer who leaves during a stall',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'rebufferstart', 10], [16, 'viewend', 10]],
    expected: { ...none, rebuffer_count: 1, rebuffer_duration_ms: 5000, watch_time_ms: 16_000, playing_time_ms: 10_000 },
  },
  {
    name: 'two reported stalls',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'rebufferstart', 10], [13, 'rebufferend', 10], [21, 'rebufferstart', 18], [24, 'rebufferend', 18], [31, 'viewend', 25]],
    expected: {
      ...none,
      rebuffer_count: 2,
      rebuffer_duration_ms: 5000,
      watch_time_ms: 31_000,
      playing_time_ms: 25_000,
      rebuffer_percentage: 5000 / 31_000,
      rebuffering_ratio: 5000 / 30_000,
      connection_induced_rebuffering_ratio: 5000 / 30_000,
      rebuffer_frequency_per_minute: 2 / (31_000 / 60_000),
    },
  },
  {
    name: 'an exit before start shorter than a second is still an EBVS (the score leaves it out)',
    steps: [[0, 'play', 0], [0.5, 'viewend', 0]],
    expected: { ...none, exited_before_start: true, started: false, watch_time_ms: 500 },
  },
  {
    name: 'the first rendition is not a shift',
    steps: [[0, 'play', 0], [0.5, 'renditionchange', 0, { rendition: { bitrate_bps: 1_000_000 } }], [2, 'playing', 0], [12, 'viewend', 10]],
    expected: { ...none, startup_time_ms: 2000, upshift_count: 0, downshift_count: 0, weighted_average_bitrate_bps: 1_000_000 },
  },
  {
    name: 'a downshift during a stall, and the bitrate weighted over playing time only',
    steps: [
      [0, 'play', 0],
      [1, 'playing', 0, { rendition: { bitrate_bps: 3_000_000 } }],
      [11, 'rebufferstart', 10],
      [12, 'renditionchange', 10, { rendition: { bitrate_bps: 1_000_000 } }],
      [14, 'rebufferend', 10],
      [24, 'viewend', 20],
    ],
    expected: { ...none, downshift_count: 1, rebuffer_count: 1, rebuffer_duration_ms: 3000, weighted_average_bitrate_bps: 2_000_000, playing_time_ms: 20_000 },
  },
  {
    name: 'a player that reports its stalls gets no inferred ones',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'rebufferstart', 10], [12, 'rebufferend', 10], [22, 'heartbeat', 15], [22, 'viewend', 15]],
    expected: { ...none, rebuffer_count: 1, inferred_stall_count: 0, rebuffer_duration_ms: 1000, playing_time_ms: 20_000, watch_time_ms: 22_000 },
  },
  {
    name: 'two stalls inferred from the playhead',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 8], [21, 'heartbeat', 18], [31, 'heartbeat', 21.5], [31, 'viewend', 21.5]],
    expected: { ...none, rebuffer_count: 2, inferred_stall_count: 2, rebuffer_duration_ms: 8500, playing_time_ms: 21_500, watch_time_ms: 31_000, rebuffer_percentage: 8500 / 31_000 },
  },
  {
    name: 'one stall inferred across heartbeats is one stall',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [21, 'heartbeat', 14], [31, 'heartbeat', 14], [41, 'heartbeat', 24], [41, 'viewend', 24]],
    expected: { ...none, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 16_000, playing_time_ms: 24_000, watch_time_ms: 41_000 },
  },
  {
    name: 'an inferred stall that goes on past a heartbeat ends where the playhead moves again; a later one is new',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [21, 'heartbeat', 14], [31, 'heartbeat', 18], [41, 'heartbeat', 24], [41, 'viewend', 24]],
    expected: { ...none, rebuffer_count: 2, inferred_stall_count: 2, rebuffer_duration_ms: 16_000, playing_time_ms: 24_000, watch_time_ms: 41_000 },
  },
  {
    name: 'an inferred stall ends at a pause: stuck time after the resume is a new stall',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 5], [12, 'pause', 5], [20, 'play', 5], [21, 'playing', 5], [31, 'heartbeat', 10], [31, 'viewend', 10]],
    expected: { ...none, rebuffer_count: 2, inferred_stall_count: 2, rebuffer_duration_ms: 11_000, playing_time_ms: 10_000, watch_time_ms: 23_000 },
  },
  {
    name: 'a playhead 0.8 s behind is not a stall',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 9.2], [11, 'viewend', 9.2]],
    expected: { ...none, rebuffer_count: 0, inferred_stall_count: 0, playing_time_ms: 10_000 },
  },
  {
    name: 'startup is measured from the play request, not from viewstart',
    steps: [[0, 'viewstart', 0], [5, 'play', 0], [7, 'playing', 0], [17, 'viewend', 10]],
    expected: { ...none, startup_time_ms: 2000, watch_time_ms: 12_000, playing_time_ms: 10_000 },
  },
  {
    name: 'live latency: device time minus the program date time at the playhead, averaged',
    steps: [[0, 'play', 0], [1, 'playing', 0, { program_date_time: T0 - 9000 }], [11, 'heartbeat', 10, { program_date_time: T0 + 1000 }], [21, 'viewend', 20, { program_date_time: T0 + 10_000 }]],
    expected: { ...none, live_latency_ms: 10_333.333333333334, playing_time_ms: 20_000 },
  },
  {
    name: 'downscaling: a 1920x1080 rendition in a 1280x720 player for half the view',
    steps: [
      [0, 'play', 0],
      [1, 'playing', 0, { rendition: { bitrate_bps: 6_000_000, width: 1920, height: 1080 }, player_width: 1280, player_height: 720 }],
      [11, 'renditionchange', 10, { rendition: { bitrate_bps: 3_000_000, width: 1280, height: 720 } }],
      [21, 'viewend', 20],
    ],
    expected: { ...none, downshift_count: 1, max_downscale: 1 / 3, average_downscale: 1 / 6, max_upscale: 0, average_upscale: 0 },
  },
  {
    name: 'a seek abandoned by a pause, then one made while paused: each seek timed on its own',
    steps: [
      [0, 'play', 0],
      [1, 'playing', 0],
      [11, 'seeking', 10],
      [12, 'playing', 50],
      [20, 'seeking', 58],
      [21, 'pause', 58],
      [21.5, 'seeking', 90],
      [22, 'seeked', 90],
      [30, 'play', 90],
      [31, 'playing', 90],
      [41, 'viewend', 100],
    ],
    expected: { ...none, seek_count: 2, seek_latency_ms: 750, seek_buffering_ms: 2500, watch_time_ms: 32_500, playing_time_ms: 28_000 },
  },
  {
    name: 'a seek while paused ends at seeked; the viewer staying paused is not seeking',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'pause', 10], [15, 'seeking', 100], [16, 'seeked', 100], [616, 'play', 100], [617, 'playing', 100], [627, 'viewend', 110]],
    expected: { ...none, seek_count: 1, seek_latency_ms: 1000, seek_buffering_ms: 1000, watch_time_ms: 23_000, playing_time_ms: 20_000 },
  },
  {
    name: 'a backward seek whose event carries the target playhead is not read as a stall',
    steps: [[0, 'play', 0], [1, 'playing', 0], [8, 'seeking', 2], [8.5, 'playing', 2], [18.5, 'viewend', 12]],
    expected: { ...none, seek_count: 1, seek_latency_ms: 500, rebuffer_count: 0, inferred_stall_count: 0, playing_time_ms: 17_000 },
  },
  {
    name: 'a live player jumping to the live edge before the first frame: no seek, the time is startup',
    steps: [[0, 'play', 0], [0.5, 'seeking', 0], [1, 'seeked', 3600], [1.5, 'playing', 3600], [11.5, 'viewend', 3610]],
    expected: { ...none, seek_count: 0, seek_latency_ms: null, seek_buffering_ms: 0, startup_time_ms: 1500, watch_time_ms: 11_500, playing_time_ms: 10_000 },
  },
  {
    name: 'a start position set before the play request is not a seek, and not watch time',
    steps: [[0, 'viewstart', 0], [0.2, 'seeking', 0], [0.3, 'seeked', 120], [1, 'play', 120], [2, 'playing', 120], [12, 'viewend', 130]],
    expected: { ...none, seek_count: 0, seek_latency_ms: null, seek_buffering_ms: 0, startup_time_ms: 1000, watch_time_ms: 11_000, playing_time_ms: 10_000 },
  },
  {
    name: 'an engine jump during a stall before the first frame: startup, no seek, no rebuffer',
    steps: [[0, 'play', 0], [1, 'rebufferstart', 0], [2, 'seeking', 0], [2.2, 'seeked', 0.5], [3, 'rebufferend', 0.5], [3, 'playing', 0.5], [13, 'viewend', 10.5]],
    expected: { ...none, seek_count: 0, seek_buffering_ms: 0, rebuffer_count: 0, startup_time_ms: 3000, watch_time_ms: 13_000, playing_time_ms: 10_000 },
  },
  {
    name: 'the first seek after the first frame counts',
    steps: [[0, 'play', 0], [0.5, 'seeking', 0], [1, 'playing', 30], [11, 'seeking', 40], [12, 'playing', 90], [22, 'viewend', 100]],
    expected: { ...none, seek_count: 1, seek_latency_ms: 1000, seek_buffering_ms: 1000, startup_time_ms: 1000, watch_time_ms: 22_000, playing_time_ms: 20_000 },
  },
  {
    name: 'a 1.0 s stall cut in two by a request event is one stall of 1.0 s (the threshold is judged on the whole stall)',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [15.5, 'requestcompleted', 14], [16.5, 'requestcompleted', 14.5], [21, 'heartbeat', 19], [21, 'viewend', 19]],
    expected: { ...none, request_count: 2, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 1000, playing_time_ms: 19_000, watch_time_ms: 21_000 },
  },
  {
    name: 'a 1.0 s stall whose first step a request cut at 0.2 s keeps that 0.2 s (stuck time adds up until the playhead resumes)',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [11.8, 'requestcompleted', 10.6], [12.6, 'requestcompleted', 10.6], [22, 'heartbeat', 20], [22, 'viewend', 20]],
    expected: { ...none, request_count: 2, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 1000, playing_time_ms: 20_000, watch_time_ms: 22_000 },
  },
  {
    name: 'a 5.5 s stall with heartbeats and request events inside it is counted once, with all its time',
    steps: [
      [0, 'play', 0],
      [1, 'playing', 0],
      [11, 'heartbeat', 10],
      [14, 'requestcompleted', 12],
      [14.3, 'requestcompleted', 12],
      [18, 'heartbeat', 12],
      [20, 'heartbeat', 13.5],
      [30, 'viewend', 23.5],
    ],
    expected: { ...none, request_count: 2, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 5500, playing_time_ms: 23_500, watch_time_ms: 30_000 },
  },
  {
    name: 'an engine nudge of 0.1 s inside an inferred stall does not end it',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [13, 'requestcompleted', 11], [15, 'requestcompleted', 11.1], [17, 'heartbeat', 13.1], [17, 'viewend', 13.1]],
    expected: { ...none, request_count: 2, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 2900, playing_time_ms: 13_100, watch_time_ms: 17_000 },
  },
  {
    name: 'a hiccup of 0.5 s spread over two steps is playing time, not a stall',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [11.6, 'requestcompleted', 10.2], [12, 'requestcompleted', 10.5], [21, 'heartbeat', 19.5], [21, 'viewend', 19.5]],
    expected: { ...none, request_count: 2, rebuffer_count: 0, inferred_stall_count: 0, rebuffer_duration_ms: 0, playing_time_ms: 20_000, watch_time_ms: 21_000 },
  },
  {
    name: 'an inferred stall ended by a fatal error counts, up to the error, and the view failed',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [15, 'error', 10, { error: { code: 'NETWORK', fatal: true } }], [15, 'viewend', 10]],
    expected: { ...none, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 4000, playback_failed: true, playing_time_ms: 10_000, watch_time_ms: 15_000 },
  },
  {
    name: 'a warning during an inferred stall does not end it',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'heartbeat', 10], [12, 'error', 10.5, { error: { code: 'FRAG_RETRY', fatal: false } }], [13, 'heartbeat', 10.5], [20, 'heartbeat', 17.5], [20, 'viewend', 17.5]],
    expected: { ...none, rebuffer_count: 1, inferred_stall_count: 1, rebuffer_duration_ms: 1500, playing_time_ms: 17_500, watch_time_ms: 20_000 },
  },
  {
    name: 'a pre-roll: ad time is out of content startup and watch time, and the ad has its own startup',
    steps: [
      [0, 'viewstart', 0],
      [0, 'play', 0],
      [0.2, 'adbreakstart', 0],
      [0.3, 'adrequest', 0],
      [0.5, 'adplay', 0],
      [1, 'adplaying', 0],
      [16, 'adended', 0],
      [16.1, 'adbreakend', 0],
      [17, 'playing', 0],
      [27, 'viewend', 10],
    ],
    expected: { ...none, startup_time_ms: 1100, started: true, watch_time_ms: 11_100, playing_time_ms: 10_000, ad_break_count: 1, ad_count: 1, ad_error_count: 0, ad_startup_time_ms: 500, ad_time_ms: 15_900 },
  },
  {
    name: 'a mid-roll: the content waits paused for its playing, and a stuck playhead during the ad is no stall',
    steps: [
      [0, 'play', 0],
      [1, 'playing', 0],
      [11, 'adbreakstart', 10],
      [11.5, 'adplay', 10],
      [12, 'adplaying', 10],
      [26, 'adended', 10],
      [26, 'adbreakend', 10],
      [26.2, 'playing', 10],
      [36.2, 'viewend', 20],
    ],
    expected: { ...none, startup_time_ms: 1000, watch_time_ms: 21_000, playing_time_ms: 20_000, rebuffer_count: 0, inferred_stall_count: 0, ad_break_count: 1, ad_count: 1, ad_startup_time_ms: 500, ad_time_ms: 15_000 },
  },
  {
    name: 'an ad that fails and a viewer who leaves during the pre-roll: an exit before start',
    steps: [[0, 'play', 0], [0.1, 'adbreakstart', 0], [0.2, 'adplay', 0], [3, 'aderror', 0, { error: { code: 'VAST_303', fatal: false } }], [4, 'adplay', 0], [5, 'adplaying', 0], [9, 'viewend', 0]],
    expected: { ...none, started: false, exited_before_start: true, watch_time_ms: 100, ad_break_count: 1, ad_count: 1, ad_error_count: 1, ad_startup_time_ms: 1000, ad_time_ms: 8900 },
  },
  {
    name: 'videochange ends the view',
    steps: [[0, 'play', 0], [1, 'playing', 0], [11, 'videochange', 10]],
    expected: { ...none, playing_time_ms: 10_000, watch_time_ms: 11_000 },
    endReason: 'videochange',
  },
];


export function eventsOf(steps: Step[]): PlayerEvent[] {
  return steps.map(([s, type, playhead, extra], seq) => ({ seq, type, ts: T0 + s * 1000, playhead_ms: playhead * 1000, ...extra }));
}
