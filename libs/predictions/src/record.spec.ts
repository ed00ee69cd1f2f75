import type { ScoredView } from '@sightline/contracts';
import { recordOf } from './record';

const metrics: ScoredView['metrics'] = {
  startup_time_ms: 1200,
  started: true,
  exited_before_start: false,
  start_failed: false,
  playback_failed: false,
  watch_time_ms: 90_000,
  playing_time_ms: 85_000,
  rebuffer_count: 2,
  rebuffer_duration_ms: 3000,
  rebuffer_percentage: 0.03,
  weighted_average_bitrate_bps: 2_500_000,
  max_upscale: 0,
  average_upscale: 0,
  request_throughput_bps: 9_000_000,
};

describe('recordOf', () => {
  it('takes the context from the player and the client, the title falling back to the video id', () => {
    const scored = {
      context: { video_id: 'vod-001', stream_type: 'vod' as const, cdn: 'akamai', player_name: 'hls.js' },
      client: { country: 'NO', asn: 2119, device_type: 'desktop', os: 'Windows' },
      metrics,
    };
    expect(recordOf(scored)).toEqual({
      context: { device_type: 'desktop', asn: 2119, country: 'NO', cdn: 'akamai', title: 'vod-001', stream_type: 'vod' },
      outcome: {
        started: true,
        exited_before_start: false,
        startup_time_ms: 1200,
        rebuffer_count: 2,
        watch_time_ms: 90_000,
        weighted_average_bitrate_bps: 2_500_000,
        request_throughput_bps: 9_000_000,
      },
    });
  });

  it('leaves out what is not known', () => {
    const scored = { context: { video_title: 'News' }, metrics: { ...metrics, started: false, startup_time_ms: null, request_throughput_bps: undefined } };
    expect(recordOf(scored)).toMatchObject({ context: { title: 'News' }, outcome: { started: false, startup_time_ms: null, request_throughput_bps: null } });
  });
});
