import { ALL_COLLECTIONS, COLLECTIONS } from './collections';
import { indexSpecs, retentionSeconds } from './indexes';

const retention = { viewsDays: 30, minuteMetricsDays: 14, hourMetricsDays: 400, alertsDays: 90 };

describe('indexSpecs', () => {
  const specs = indexSpecs(retention);

  it('gives every collection exactly one TTL index, on a single field, with its retention', () => {
    const ttl = specs.filter((s) => s.expireAfterSeconds !== undefined);
    expect(ttl.map((s) => s.collection).sort()).toEqual([...ALL_COLLECTIONS].sort());
    for (const s of ttl) expect(Object.keys(s.key)).toHaveLength(1);
    expect(ttl.map((s) => [s.collection, s.expireAfterSeconds])).toEqual(
      expect.arrayContaining([
        [COLLECTIONS.views, 30 * 86_400],
        [COLLECTIONS.minuteMetrics, 14 * 86_400],
        [COLLECTIONS.hourMetrics, 400 * 86_400],
        [COLLECTIONS.alerts, 90 * 86_400],
      ]),
    );
  });

  it('indexes views by property and time, and by property, each cohort field and time', () => {
    const views = specs.filter((s) => s.collection === COLLECTIONS.views && s.expireAfterSeconds === undefined).map((s) => s.key);
    expect(views).toEqual([
      { property_id: 1, completed_at: -1 },
      { property_id: 1, cdn: 1, completed_at: -1 },
      { property_id: 1, country: 1, completed_at: -1 },
      { property_id: 1, asn: 1, completed_at: -1 },
      { property_id: 1, title: 1, completed_at: -1 },
    ]);
  });

  it('names indexes uniquely within a collection', () => {
    const names = specs.map((s) => `${s.collection}.${s.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('retentionSeconds', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p days', (days) => {
    expect(() => retentionSeconds(days)).toThrow(RangeError);
  });

  it('accepts fractions of a day', () => {
    expect(retentionSeconds(0.5)).toBe(43_200);
  });
});
