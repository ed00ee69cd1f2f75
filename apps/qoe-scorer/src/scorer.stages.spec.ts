import { createTopology, partitionOf, subjects, type ViewActivity, type ViewSnapshot } from '@sightline/contracts';
import type { KeyedStepContext } from '@sightline/messaging';
import { createLogger, loadConfig } from '@sightline/runtime';
import { Registry } from 'prom-client';
import { aggregatesStage } from './aggregates.stage';
import { ScorerConfigSchema, type StageContext } from './scorer.config';
import { viewsStage } from './views.stage';

const topology = createTopology('scorer-spec', 4);

function context(env: NodeJS.ProcessEnv = {}): StageContext {
  return { config: loadConfig(ScorerConfigSchema, env), topology, metrics: new Registry(), logger: createLogger('qoe-scorer', 'silent') };
}

const at = (now: number, key: string): KeyedStepContext => ({ now, key, timer: undefined, partition: 0, stream: 'spec', streamSeq: 1, subject: 'spec' });

const view: ViewSnapshot = {
  v: 1,
  view_id: 'v1',
  property_id: 'prop',
  status: 'completed',
  revision: 1,
  context: { cdn: 'a' },
  first_event_at: 1_700_000_000_000,
  last_event_at: 1_700_000_004_000,
  last_received_at: 1_700_000_004_000,
  last_seq: 3,
  metrics: {
    startup_time_ms: null,
    started: false,
    exited_before_start: true,
    start_failed: false,
    playback_failed: false,
    watch_time_ms: 4000,
    playing_time_ms: 0,
    rebuffer_count: 0,
    rebuffer_duration_ms: 0,
    rebuffer_percentage: 0,
    weighted_average_bitrate_bps: null,
    max_upscale: 0,
    average_upscale: 0,
  },
};

describe('the scorer stages', () => {
  it('keep the consumer groups (and so the state, durables and output ids) of the handlers they replace', () => {
    const ctx = context();
    expect(viewsStage(ctx)).toMatchObject({ name: 'qoe-scorer-views', deadLetterSubject: subjects.deadLetter(topology, 'qoe-scorer-views') });
    expect(aggregatesStage(ctx)).toMatchObject({ name: 'qoe-scorer-aggregates', deadLetterSubject: subjects.deadLetter(topology, 'qoe-scorer-aggregates') });
  });

  it('publish a view snapshot score, then its activity, on the view partition, and forget the view after its retention', () => {
    const stage = viewsStage(context({ SCORER_VIEW_STATE_TTL_HOURS: '2' }));
    const key = stage.keyOf(view);
    const result = stage.step(undefined, view, at(5000, key));
    const partition = partitionOf(topology, view.view_id);
    expect(result.outputs!.map((o) => o.subject)).toEqual([subjects.score(topology, 'final', partition), subjects.activity(topology, partition)]);
    expect(result.timer).toBe(5000 + 2 * 3600_000);
    expect(stage.onTimer!(result.state, at(result.timer!, key))).toEqual({ state: undefined, timer: undefined, outputs: [] });
  });

  it('publish aggregates on their cohort subjects, look again every second, and checkpoint through the codec', () => {
    const stage = aggregatesStage(context({ SCORER_WATERMARK_DELAY_MS: '0', SCORER_IDLE_AFTER_MS: '0' }));
    const activity = viewsStage(context()).step(undefined, view, at(0, 'v')).outputs![1]!.payload as ViewActivity;
    const now = view.last_received_at + 1000;
    const first = stage.step(undefined, activity, at(now, stage.keyOf(activity)));
    expect(first.timer).toBe(now + 1000);
    const later = stage.onTimer!(stage.codec!.restore(JSON.parse(JSON.stringify(stage.codec!.save(first.state!)))), at(now + 120_000, 'aggregator'));
    const onTime = later.outputs!.filter((o) => (o.payload as { timing: string }).timing === 'on_time');
    expect(onTime.length).toBeGreaterThan(0);
    expect(onTime.map((o) => o.subject)).toContain(subjects.aggregate(topology, 'minute', 'prop', 'all', 'all'));
  });
});
