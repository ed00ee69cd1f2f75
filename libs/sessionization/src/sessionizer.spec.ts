import type { EventBatch, PlayerEvent, PlayerEventType } from '@sightline/contracts';
import { onBatch, onTick } from './sessionizer';
import type { ViewState } from './view-state';

const T0 = 1_700_000_000_000;

/**
 * A script of `[seconds after T0, event type, extra fields]`, numbered from seq 0. The playhead
 * follows the device clock unless given, so no stall is inferred from it.
 */
function script(...steps: [number, PlayerEventType, Partial<PlayerEvent>?][]): PlayerEvent[] {
  return steps.map(([s, type, extra], seq) => ({ seq, type, ts: T0 + s * 1000, playhead_ms: s * 1000, ...extra }));
}

function batch(events: PlayerEvent[], receivedAt = T0): EventBatch {
  return { v: 1, view_id: 'v1', enrichment: { property_id: 'p1', received_at: receivedAt }, context: { cdn: 'cdn-a' }, events };
}

function run(...batches: PlayerEvent[][]) {
  let state: ViewState | undefined;
  const outputs = [];
  for (const events of batches) {
    const step = onBatch(state, batch(events));
    state = step.state;
    outputs.push(step.output);
  }
  return { state: state!, outputs };
}

const fiveMinuteView = script(
  [0, 'viewstart'],
  [0, 'play'],
  [2, 'playing', { rendition: { bitrate_bps: 3_000_000, width: 1280, height: 720 }, player_width: 1280, player_height: 720 }],
  [100, 'rebufferstart'],
  [105, 'rebufferend'],
  [150, 'renditionchange', { rendition: { bitrate_bps: 6_000_000, width: 1920, height: 1080 } }],
  [302, 'ended'],
  [302, 'viewend'],
);

describe('sessionizer', () => {
  it('computes startup, rebuffering, watch time and weighted bitrate of a scripted view', () => {
    const { outputs } = run(fiveMinuteView);
    const completed = outputs.at(-1)?.completed;
    expect(completed?.status).toBe('completed');
    expect(completed?.end_reason).toBe('viewend');
    expect(completed?.metrics).toMatchObject({
      startup_time_ms: 2000,
      started: true,
      exited_before_start: false,
      playback_failed: false,
      rebuffer_count: 1,
      rebuffer_duration_ms: 5000,
      watch_time_ms: 302_000,
      playing_time_ms: 295_000,
    });
    expect(completed?.metrics.rebuffer_percentage).toBeCloseTo(5 / 302, 10);
    // 143 s at 3 Mb/s (2-100, 105-150), 152 s at 6 Mb/s.
    expect(completed?.metrics.weighted_average_bitrate_bps).toBeCloseTo((143 * 3e6 + 152 * 6e6) / 295, 6);
  });

  it('gives the same completed view whatever the arrival order and duplication', () => {
    const inOrder = run(fiveMinuteView).outputs.at(-1)?.completed;
    const [a, b, c, d, e, f, g, h] = fiveMinuteView as [PlayerEvent, PlayerEvent, PlayerEvent, PlayerEvent, PlayerEvent, PlayerEvent, PlayerEvent, PlayerEvent];
    const shuffled = run([c, a], [h, b, b, e], [a, d, g], [f, c]).outputs.at(-1)?.completed;
    expect(shuffled?.metrics).toEqual(inOrder?.metrics);
  });

  it('keeps stalls inside a seek out of the rebuffer count, and paused time out of watch time', () => {
    const { state } = run(
      script(
        [0, 'play'],
        [1, 'playing'],
        [10, 'pause'],
        [70, 'play'],
        [70.5, 'playing'],
        [80, 'seeking'],
        [80.2, 'rebufferstart'],
        [81, 'rebufferend'],
        [81, 'seeked'],
        [81.5, 'playing'],
        [90, 'viewend'],
      ),
    );
    expect(state.rebufferCount).toBe(0);
    expect(state.watchMs).toBe(1000 + 9000 + 500 + 9500 + 1500 + 8500);
  });

  it.each([
    ['exit before video start', script([0, 'play'], [3, 'viewend']), { exited_before_start: true, start_failed: false, playback_failed: false }],
    [
      'video start failure',
      script([0, 'play'], [2, 'error', { error: { code: 'NET', fatal: true } }], [2, 'viewend']),
      { exited_before_start: false, start_failed: true, playback_failed: true },
    ],
    [
      'business error is not a playback failure',
      script([0, 'play'], [1, 'error', { error: { code: 'GEO', fatal: true, business: true } }], [1, 'viewend']),
      { start_failed: true, playback_failed: false },
    ],
  ])('classifies %s', (_name, events, expected) => {
    expect(run(events).outputs.at(-1)?.completed?.metrics).toMatchObject(expected);
  });

  it('gives up on a gap after the bounded wait, and completes a silent view after 60 s of server time', () => {
    const events = script([0, 'play'], [1, 'playing'], [20, 'heartbeat']);
    const { state } = run([events[0]!, events[2]!]);
    expect(state.nextSeq).toBe(1);
    expect(onTick(state, T0 + 9_999)).toEqual({});
    const skipped = onTick(state, T0 + 10_000).updated;
    expect(skipped?.last_seq).toBe(2);
    expect(state.gapsSkipped).toBe(1);
    expect(onTick(state, T0 + 59_999)).toEqual({});
    const done = onTick(state, T0 + 60_000).completed;
    expect(done?.end_reason).toBe('inactivity');
    expect(done?.last_seq).toBe(2);
    expect(done?.metrics.watch_time_ms).toBe(20_000);
  });

  it('reopens a view completed by silence when its events resume (a long pause), and completes it again', () => {
    const first = script([0, 'play'], [1, 'playing'], [11, 'pause']);
    const { state } = run(first);
    const silent = onTick(state, T0 + 60_000).completed;
    expect(silent).toMatchObject({ status: 'completed', end_reason: 'inactivity' });
    const resumed = [
      { seq: 3, type: 'play' as const, ts: T0 + 130_000, playhead_ms: 10_000 },
      { seq: 4, type: 'playing' as const, ts: T0 + 131_000, playhead_ms: 10_000 },
      { seq: 5, type: 'viewend' as const, ts: T0 + 141_000, playhead_ms: 20_000 },
    ];
    const again = onBatch(state, batch(resumed, T0 + 141_500)).output.completed;
    expect(again).toMatchObject({ status: 'completed', end_reason: 'viewend', last_seq: 5 });
    expect(again!.revision).toBeGreaterThan(silent!.revision);
    // The pause is out of watch time: 1 s starting, 10 s playing, 1 s resuming, 10 s playing.
    expect(again!.metrics).toMatchObject({ watch_time_ms: 22_000, playing_time_ms: 20_000 });
  });

  it('does not reopen a view completed by silence for a batch of duplicates', () => {
    const { state } = run(script([0, 'play'], [1, 'playing']));
    onTick(state, T0 + 60_000);
    expect(onBatch(state, batch(script([0, 'play'], [1, 'playing']))).output).toEqual({ late: true });
    expect(state.status).toBe('completed');
  });

  it('restarts the wait when a gap fills and another one opens', () => {
    const events = script([0, 'play'], [1, 'playing'], [2, 'heartbeat'], [3, 'heartbeat'], [4, 'heartbeat']);
    let { state } = onBatch(undefined, batch([events[0]!, events[2]!], T0));
    ({ state } = onBatch(state, batch([events[1]!, events[4]!], T0 + 8000)));
    expect(state.nextSeq).toBe(3);
    expect(onTick(state, T0 + 17_999)).toEqual({});
    expect(onTick(state, T0 + 18_000).updated?.last_seq).toBe(4);
  });

  it('does not apply batches that arrive after the player ended the view, and says so', () => {
    const { state } = run(script([0, 'play'], [1, 'viewend']));
    const late = onBatch(state, batch(script([0, 'play'], [1, 'viewend'], [2, 'heartbeat']).slice(2)));
    expect(late.output).toEqual({ late: true });
  });

  it('infers the play request from the first event when a player sends none', () => {
    const { outputs } = run(script([0, 'viewstart'], [1.5, 'playing'], [3, 'viewend']));
    expect(outputs.at(-1)?.completed?.metrics.startup_time_ms).toBe(1500);
  });

  it('measures upscaling, time-weighted, while playing', () => {
    const { outputs } = run(
      script(
        [0, 'play'],
        [0, 'playing', { rendition: { bitrate_bps: 1e6, width: 960, height: 540 }, player_width: 1920, player_height: 1080 }],
        [10, 'renditionchange', { rendition: { bitrate_bps: 4e6, width: 1920, height: 1080 } }],
        [30, 'viewend'],
      ),
    );
    const m = outputs.at(-1)?.completed?.metrics;
    expect(m?.max_upscale).toBe(1);
    expect(m?.average_upscale).toBeCloseTo(10 / 30, 10);
  });
});
