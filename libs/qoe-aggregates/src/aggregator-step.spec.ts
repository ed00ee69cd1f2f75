import type { CohortAggregate, ViewActivity } from '@sightline/contracts';
import { activityOf, type ActivityCursor } from './activity';
import { advanceAggregator, aggregateActivity, aggregatorCodec, AGGREGATOR_TIMER_MS, type AggregatorStep } from './aggregator-step';
import { CohortAggregator, DEFAULT_AGGREGATOR_OPTIONS, type AggregatorOptions } from './cohort-aggregator';
import { arrivals } from './scripted-fleet.fixture';

const options: AggregatorOptions = { ...DEFAULT_AGGREGATOR_OPTIONS, watermarkDelayMs: 5000 };

/** The scripted fleet's activity with the partition time it reaches the aggregator. */
function activities(): { activity: ViewActivity; now: number }[] {
  const cursors = new Map<string, ActivityCursor>();
  const out: { activity: ViewActivity; now: number }[] = [];
  for (const { snapshot, now } of arrivals()) {
    const { activity, cursor } = activityOf(cursors.get(snapshot.view_id), snapshot);
    cursors.set(snapshot.view_id, cursor);
    if (activity) out.push({ activity, now });
  }
  return out;
}

/** Runs the steps as the stage runtime does: state and timer from each step feed the next; a timer fires when partition time reaches it. */
function runSteps(restartAt?: number): CohortAggregate[] {
  const codec = aggregatorCodec(options);
  let state: CohortAggregator | undefined;
  let timer: number | undefined;
  const out: CohortAggregate[] = [];
  const apply = (step: AggregatorStep) => {
    state = step.state;
    timer = step.timer;
    out.push(...step.aggregates);
  };
  const input = activities();
  input.forEach(({ activity, now }, i) => {
    if (i === restartAt && state) state = codec.restore(JSON.parse(JSON.stringify(codec.save(state))));
    while (timer !== undefined && timer <= now) apply(advanceAggregator(state, timer, options));
    apply(aggregateActivity(state, activity, now, options));
  });
  while (state!.openWindows > 0) apply(advanceAggregator(state, timer!, options));
  return out;
}

describe('the aggregate stage step', () => {
  it('folds activity into the aggregator it was given, in place, and looks again a second later', () => {
    const { activity, now } = activities()[0]!;
    const aggregator = CohortAggregator.create(options);
    const step = aggregateActivity(aggregator, activity, now, options);
    expect(step.state).toBe(aggregator);
    expect(step.timer).toBe(now + AGGREGATOR_TIMER_MS);
    expect(step.state.openWindows).toBe(2);
    const tick = advanceAggregator(step.state, now + AGGREGATOR_TIMER_MS, options);
    expect(tick.state).toBe(aggregator);
    expect(tick.timer).toBe(now + 2 * AGGREGATOR_TIMER_MS);
    expect(tick.late).toEqual([]);
  });

  it('starts an aggregator for the first activity', () => {
    const { activity, now } = activities()[0]!;
    const step = aggregateActivity(undefined, activity, now, options);
    expect(step.state).toBeInstanceOf(CohortAggregator);
    expect(step.state.openWindows).toBe(2);
  });

  it('gives the panes of the aggregator fed directly, and the same after a restart through its codec at any point', () => {
    const aggregator = CohortAggregator.create(options);
    const direct: CohortAggregate[] = [];
    let now = 0;
    let timer: number | undefined;
    for (const arrival of activities()) {
      for (; timer !== undefined && timer <= arrival.now; timer += AGGREGATOR_TIMER_MS) direct.push(...aggregator.advance(timer));
      now = arrival.now;
      direct.push(...aggregator.add(arrival.activity, now).aggregates);
      timer = now + AGGREGATOR_TIMER_MS;
    }
    for (; aggregator.openWindows > 0; timer! += AGGREGATOR_TIMER_MS) direct.push(...aggregator.advance(timer!));
    const steps = runSteps();
    expect(steps).toEqual(direct);
    for (let cut = 1; cut < activities().length; cut += 3) expect(runSteps(cut)).toEqual(steps);
  });

  it('saves plain JSON data: the saved form survives JSON unchanged', () => {
    const codec = aggregatorCodec(options);
    const { activity, now } = activities()[0]!;
    const saved = codec.save(aggregateActivity(undefined, activity, now, options).state);
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
  });
});
