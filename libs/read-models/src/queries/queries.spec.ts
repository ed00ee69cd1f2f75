import { COLLECTIONS } from '../collections';
import { metricSeriesQuery } from './metric-series';
import { openAlertsQuery } from './open-alerts';
import { recentViewsQuery } from './recent-views';
import { topCohortsQuery } from './top-cohorts';

const from = new Date('2026-01-01T12:00:00Z');
const to = new Date('2026-01-01T13:00:00Z');

describe('recentViewsQuery', () => {
  it('filters by property, range and one cohort field, newest first, without the bulky metrics', () => {
    expect(recentViewsQuery({ propertyId: 'demo', cohort: { field: 'cdn', value: 'fastly' }, from, to, limit: 50 })).toEqual({
      collection: COLLECTIONS.views,
      filter: { property_id: 'demo', cdn: 'fastly', completed_at: { $gte: from, $lt: to } },
      sort: { completed_at: -1 },
      limit: 50,
      projection: { metrics: 0 },
    });
  });

  it.each([
    [{ from: to, to: from, limit: 10 }, /before/],
    [{ from, to, limit: 0 }, /limit/],
    [{ from, to, limit: 1001 }, /limit/],
    [{ from: new Date(Number.NaN), to, limit: 1 }, /valid Dates/],
  ])('refuses a bad range or limit (%#)', (params, message) => {
    expect(() => recentViewsQuery({ propertyId: 'demo', ...params })).toThrow(message);
  });
});

describe('metricSeriesQuery', () => {
  it('reads one cohort of the granularity collection in window order', () => {
    const query = metricSeriesQuery({ granularity: 'hour', propertyId: 'shop', dimension: 'cdn', value: 'fastly', from, to });
    expect(query).toMatchObject({
      collection: COLLECTIONS.hourMetrics,
      filter: { property_id: 'shop', dimension: 'cdn', value: 'fastly', window_start: { $gte: from, $lt: to } },
      sort: { window_start: 1 },
    });
  });
});

describe('topCohortsQuery', () => {
  it('sums the windows of the range per value, leaves out all and other, ranks and limits', () => {
    const { collection, pipeline } = topCohortsQuery({ granularity: 'minute', propertyId: 'shop', dimension: 'cdn', by: 'playback_failures', from, to, limit: 5 });
    expect(collection).toBe(COLLECTIONS.minuteMetrics);
    expect(pipeline[0]).toEqual({ $match: { property_id: 'shop', dimension: 'cdn', value: { $nin: ['all', 'other'] }, window_start: { $gte: from, $lt: to } } });
    expect(pipeline[2]).toEqual({ $sort: { playback_failures: -1, _id: 1 } });
    expect(pipeline[3]).toEqual({ $limit: 5 });
  });

  it('refuses an unknown ranking', () => {
    expect(() => topCohortsQuery({ granularity: 'minute', propertyId: 'shop', dimension: 'cdn', by: 'concurrent_viewers' as never, from, to, limit: 5 })).toThrow(/by must be one of/);
  });
});

describe('openAlertsQuery', () => {
  it('reads the firing alerts of a property, latest first', () => {
    expect(openAlertsQuery({ propertyId: 'demo', limit: 20 })).toEqual({
      collection: COLLECTIONS.alerts,
      filter: { property_id: 'demo', state: 'firing' },
      sort: { at: -1 },
      limit: 20,
    });
  });
});
