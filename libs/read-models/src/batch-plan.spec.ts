import { planBatch, type InputMessage } from './batch-plan';
import { COLLECTIONS } from './collections';
import { aggregatesProjection, alertsProjection, scoresProjection } from './projections';
import { alert, cohortAggregate, scoredView } from './samples.fixture';

const encoder = new TextEncoder();
let seq = 0;
const message = (payload: unknown, control = false): InputMessage => ({
  subject: 'ns.v1.x',
  seq: ++seq,
  data: typeof payload === 'string' ? encoder.encode(payload) : encoder.encode(JSON.stringify(payload)),
  control,
  deliveryCount: 1,
});

describe('planBatch', () => {
  it('maps valid messages to one upsert per document, the highest version', () => {
    const plan = planBatch(scoresProjection, [message(scoredView({ revision: 1 })), message(scoredView({ revision: 3 })), message(scoredView({ view_id: 'v2' }))]);
    expect(plan.upserts.map((u) => [u.id, u.version])).toEqual([
      ['demo/view-1', 3],
      ['demo/v2', 1],
    ]);
    expect(plan).toMatchObject({ invalid: [], ignored: 0 });
  });

  it('skips control messages and live scores, and reports invalid payloads with the reason', () => {
    const notJson = message('{oops');
    const wrong = message({ ...scoredView(), revision: 0 });
    const plan = planBatch(scoresProjection, [message('', true), message(scoredView({ kind: 'live' })), notJson, wrong]);
    expect(plan.upserts).toEqual([]);
    expect(plan.ignored).toBe(2);
    expect(plan.invalid.map((i) => i.message)).toEqual([notJson, wrong]);
    expect(plan.invalid[0]!.error).toMatch(/^not JSON/);
    expect(plan.invalid[1]!.error).toMatch(/\/revision/);
  });

  it('rejects bytes that are not UTF-8', () => {
    const plan = planBatch(alertsProjection, [{ subject: 's', seq: 1, data: new Uint8Array([0xff, 0xfe]), control: false, deliveryCount: 1 }]);
    expect(plan.invalid).toHaveLength(1);
  });

  it('sends minute and hour aggregates to their collections, and alerts to alerts', () => {
    const aggregates = planBatch(aggregatesProjection, [message(cohortAggregate()), message(cohortAggregate({ granularity: 'hour' }))]);
    expect(aggregates.upserts.map((u) => u.collection)).toEqual([COLLECTIONS.minuteMetrics, COLLECTIONS.hourMetrics]);
    expect(planBatch(alertsProjection, [message(alert())]).upserts.map((u) => u.collection)).toEqual([COLLECTIONS.alerts]);
  });
});
