import type { PredictionModel, ScoredView } from '@sightline/contracts';
import { learnScore, publishModel, type LearningOptions } from './learning';
import { emptyModel, learn } from './model';
import { recordOf } from './record';

const options: LearningOptions = { publishMs: 10_000, refreshMs: 3_600_000, model: { halfLifeMs: 600_000, maxValues: 50 } };
const T0 = Date.parse('2026-11-25T12:00:00Z');

function scored(kind: ScoredView['kind'], cdn = 'akamai'): ScoredView {
  return {
    v: 1,
    view_id: `view-${cdn}`,
    property_id: 'shop',
    kind,
    revision: 3,
    score_version: 'sightline-qoe/1',
    scored_at_event_time: T0,
    context: { cdn, stream_type: 'vod', video_title: 'Sintel' },
    client: { country: 'NO', asn: 2119, device_type: 'desktop' },
    metrics: {
      startup_time_ms: 900,
      started: true,
      exited_before_start: false,
      start_failed: false,
      playback_failed: false,
      watch_time_ms: 90_000,
      playing_time_ms: 85_000,
      rebuffer_count: 1,
      rebuffer_duration_ms: 3000,
      rebuffer_percentage: 0.03,
      weighted_average_bitrate_bps: 2_500_000,
      max_upscale: 0,
      average_upscale: 0,
      request_throughput_bps: 9_000_000,
    },
    scores: { playback_success: 100, startup_time: 90, smoothness: 90, video_quality: 100, overall: 92 },
  };
}

describe('learning a property model from scores', () => {
  it('learns a final score into a new model with the configured options, due for publication publishMs later', () => {
    const step = learnScore(undefined, scored('final'), T0, undefined, options);
    expect(step).toMatchObject({ learned: true, timer: T0 + 10_000 });
    expect(step.state).toEqual(learn(emptyModel(options.model), recordOf(scored('final')), T0));
    expect(step.state).toMatchObject({ half_life_ms: 600_000, max_values: 50, views_learned: 1 });
  });

  it('changes nothing on a live score: state and timer stay as they were', () => {
    const model = learnScore(undefined, scored('final'), T0, undefined, options).state;
    expect(learnScore(model, scored('live'), T0 + 1000, T0 + 10_000, options)).toEqual({ state: model, timer: T0 + 10_000, learned: false });
    expect(learnScore(undefined, scored('live'), T0, undefined, options)).toEqual({ state: undefined, timer: undefined, learned: false });
  });

  it('keeps a publication already due sooner, and brings a later one (the refresh) forward', () => {
    const first = learnScore(undefined, scored('final'), T0, undefined, options);
    expect(learnScore(first.state, scored('final', 'fastly'), T0 + 4000, first.timer, options).timer).toBe(T0 + 10_000);
    expect(learnScore(first.state, scored('final', 'fastly'), T0 + 4000, T0 + 3_600_000, options).timer).toBe(T0 + 14_000);
  });

  it('never changes the model it was given, which an emitted snapshot may hold', () => {
    const model = learnScore(undefined, scored('final'), T0, undefined, options).state!;
    const json = JSON.stringify(model);
    const next = learnScore(model, scored('final', 'fastly'), T0 + 1000, T0 + 10_000, options);
    expect(next.state).not.toBe(model);
    expect(JSON.stringify(model)).toBe(json);
    expect(next.state!.views_learned).toBe(2);
  });
});

describe('publishing a property model on its timer', () => {
  it('publishes the model as the partition\'s snapshot and sets the refresh', () => {
    const model = learnScore(undefined, scored('final'), T0, undefined, options).state!;
    const step = publishModel(model, 'shop', 3, T0 + 10_000, options);
    expect(step).toEqual({
      state: model,
      timer: T0 + 10_000 + 3_600_000,
      learned: false,
      snapshot: { v: 1, property_id: 'shop', partition: 3, model_version: expect.any(String), views_learned: 1, at: T0 + 10_000, model },
    });
  });

  it('publishes nothing and sets no timer for a property without a model', () => {
    expect(publishModel(undefined, 'shop', 0, T0, options)).toEqual({ state: undefined, timer: undefined, learned: false });
  });

  it('on virtual time: one snapshot per publish period while views come, then one per refresh', () => {
    let state: PredictionModel | undefined;
    let timer: number | undefined;
    const published: number[] = [];
    for (let now = T0; now < T0 + 2 * 3_600_000 + 60_000; now += 1000) {
      while (timer !== undefined && timer <= now) {
        const fired = publishModel(state, 'shop', 0, timer, options);
        if (fired.snapshot) published.push(fired.snapshot.at - T0);
        ({ state, timer } = fired);
      }
      if (now < T0 + 30_000) ({ state, timer } = learnScore(state, scored('final'), now, timer, options));
    }
    expect(published).toEqual([10_000, 20_000, 30_000, 3_630_000, 7_230_000]);
    expect(state!.views_learned).toBe(30);
  });
});
