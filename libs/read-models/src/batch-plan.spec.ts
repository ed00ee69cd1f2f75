import { planBatch } from './batch-plan';
import { COLLECTIONS } from './collections';
import { aggregatesProjection, alertsProjection, scoresProjection } from './projections';
import { alert, cohortAggregate, scoredView } from './samples.fixture';

describe('planBatch', () => {
  it('maps valid messages to one upsert per document, the highest version', () => {
    const plan = planBatch(scoresProjection, [scoredView({ revision: 1 }), scoredView({ revision: 3 }), scoredView({ view_id: 'v2' })]);
    expect(plan.upserts.map((u) => [u.id, u.version])).toEqual([
      ['demo/view-1', 3],
      ['demo/v2', 1],
    ]);
    expect(plan).toMatchObject({ ignored: 0 });
  });

  it('skips live scores', () => {
    const plan = planBatch(scoresProjection, [scoredView({ kind: 'live' })]);
    expect(plan.upserts).toEqual([]);
    expect(plan.ignored).toBe(1);
  });

  it('sends minute and hour aggregates to their collections, and alerts to alerts', () => {
    const aggregates = planBatch(aggregatesProjection, [cohortAggregate(), cohortAggregate({ granularity: 'hour' })]);
    expect(aggregates.upserts.map((u) => u.collection)).toEqual([COLLECTIONS.minuteMetrics, COLLECTIONS.hourMetrics]);
    expect(planBatch(alertsProjection, [alert()]).upserts.map((u) => u.collection)).toEqual([COLLECTIONS.alerts]);
  });
});
