import { aggregateDocumentId, aggregateUpsert } from './aggregate-document';
import { alertTransitionVersion, alertUpsert } from './alert-document';
import { COLLECTIONS } from './collections';
import { alert, cohortAggregate, scoredView } from './samples.fixture';
import { viewDocumentId, viewUpsert } from './view-document';

describe('viewUpsert', () => {
  it('keys a view by property and view, versioned by revision, with cohort fields at the top level', () => {
    const upsert = viewUpsert(scoredView({ revision: 2 }));
    expect(upsert).toMatchObject({ collection: COLLECTIONS.views, id: 'demo/view-1', versionField: 'revision', version: 2 });
    expect(upsert.fields).toMatchObject({
      property_id: 'demo',
      view_id: 'view-1',
      revision: 2,
      completed_at: new Date(Date.UTC(2026, 0, 1, 12)),
      overall_score: 88,
      cdn: 'fastly',
      title: 'Big Buck Bunny',
      country: null,
      asn: null,
      failed: false,
    });
  });

  it('projects client dimensions when the score carries them', () => {
    const upsert = viewUpsert({ ...scoredView(), client: { country: 'FR', asn: 3215, device_type: 'tv' } });
    expect(upsert.fields).toMatchObject({ country: 'FR', asn: 3215, device_type: 'tv' });
  });

  it('always sets every top-level field, so a higher revision replaces all of a lower one', () => {
    const full = viewUpsert({ ...scoredView(), client: { country: 'FR' }, context: { cdn: 'a', video_title: 't', custom: { x: 'y' } } });
    const bare = viewUpsert(scoredView({ context: {} }));
    expect(Object.keys(bare.fields).sort()).toEqual(Object.keys(full.fields).sort());
  });

  it.each([
    ['a/b', 'c', 'a%2Fb/c'],
    ['a', 'b/c', 'a/b%2Fc'],
  ])('encodes ids so that property %s and view %s stay apart', (property, view, id) => {
    expect(viewDocumentId(property, view)).toBe(id);
  });
});

describe('aggregateUpsert', () => {
  it('keys a window by property, dimension, value and start, in the collection of its granularity, versioned by pane', () => {
    const upsert = aggregateUpsert(cohortAggregate({ pane_index: 4, timing: 'on_time' }));
    expect(upsert).toMatchObject({ collection: COLLECTIONS.minuteMetrics, id: `shop|cdn|fastly|${Date.UTC(2026, 0, 1, 12)}`, versionField: 'pane_index', version: 4 });
    expect(upsert.fields).toMatchObject({ window_start: new Date(Date.UTC(2026, 0, 1, 12)), window_end: new Date(Date.UTC(2026, 0, 1, 12, 1)), timing: 'on_time', attempts: 10, values_folded: null });
    expect(upsert.fields).not.toHaveProperty('v');
    expect(aggregateUpsert(cohortAggregate({ granularity: 'hour' })).collection).toBe(COLLECTIONS.hourMetrics);
  });

  it('encodes combinations, whose values contain |', () => {
    expect(aggregateDocumentId({ property_id: 'my shop', dimension: 'cdn+country', value: 'fastly|FR', window_start: 60_000 })).toBe('my%20shop|cdn%2Bcountry|fastly%7CFR|60000');
  });
});

describe('alertUpsert', () => {
  it('keys an alert by its id and orders transitions by time, then resolution after firing', () => {
    const firing = alert();
    const resolved = alert({ state: 'resolved' });
    expect(alertTransitionVersion(resolved)).toBeGreaterThan(alertTransitionVersion(firing));
    expect(alertTransitionVersion(alert({ at: firing.at + 1 }))).toBeGreaterThan(alertTransitionVersion(resolved));
    expect(alertUpsert(firing)).toMatchObject({ collection: COLLECTIONS.alerts, id: firing.alert_id, versionField: 'transition' });
  });

  it('records when it fired and when it was resolved', () => {
    expect(alertUpsert(alert()).fields).toMatchObject({ state: 'firing', fired_at: new Date(alert().at), resolved_at: null, anomaly_id: null });
    expect(alertUpsert(alert({ state: 'resolved', at: 5 })).fields).toMatchObject({ state: 'resolved', resolved_at: new Date(5) });
    expect(alertUpsert(alert({ state: 'resolved' })).fields).not.toHaveProperty('fired_at');
  });
});
