import { createTopology, fnv1a32, fromSubjectToken, minuteAggregatesInput, partitionOf, streams, subjectFilterOverlaps, subjects, subjectToken } from './topology';

describe('topology', () => {
  it('derives subjects and streams from the namespace', () => {
    const t = createTopology('acme', 4);
    expect(subjects.events(t, 3)).toBe('acme.v1.events.beacon.p3');
    expect(subjects.score(t, 'final', 0)).toBe('acme.v1.scores.final.p0');
    expect(streams(t).views).toMatchObject({ name: 'acme-views', subjects: ['acme.v1.views.>'] });
  });

  it('reads the minute aggregates, and no hour, as one partition of the aggregates stream', () => {
    const t = createTopology('acme', 4);
    const input = minuteAggregatesInput(t);
    expect({ stream: input.stream, partitions: input.partitions, filter: input.filter(0), tick: input.tickSubject(0) }).toEqual({
      stream: 'acme-aggregates',
      partitions: 1,
      filter: 'acme.v1.aggregates.minute.>',
      tick: 'acme.v1.aggregates._tick',
    });
    expect(subjects.aggregate(t, 'minute', 'shop', 'cdn', 'fastly').startsWith('acme.v1.aggregates.minute.')).toBe(true);
  });

  it.each([
    ['Upper', 1, /namespace "Upper" is invalid/],
    ['has.dot', 1, /namespace "has.dot" is invalid/],
    ['ok', 0, /partitions must be an integer from 1 to 1024, got 0/],
    ['ok', 1.5, /partitions must be an integer/],
  ])('rejects namespace %j with %d partitions', (ns, p, message) => {
    expect(() => createTopology(ns, p)).toThrow(message);
  });

  it('gives each cohort of an aggregate one subject token, reversibly', () => {
    const t = createTopology('acme', 4);
    expect(subjects.aggregate(t, 'minute', 'shop', 'cdn', 'akamai')).toBe('acme.v1.aggregates.minute.shop.cdn.akamai');
    expect(subjects.aggregate(t, 'minute', 'shop', 'cdn+country', 'akamai|DE')).toBe('acme.v1.aggregates.minute.shop.cdn+country.akamai%7CDE');
    expect(subjects.aggregate(t, 'hour', 'my.site', 'custom:tier', 'gold.plus *>')).toBe('acme.v1.aggregates.hour.my%2Esite.custom:tier.gold%2Eplus%20%2A%3E');
    for (const value of ['Zürich', 'a.b', '', 'x%y', '東京 / 1', 'other']) {
      const token = subjectToken(value);
      expect(token).toMatch(/^[A-Za-z0-9_+:%-]+$/);
      expect(fromSubjectToken(token)).toBe(value);
    }
  });

  it('partitions by a stable FNV-1a hash of the view id', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    const t = createTopology('acme', 8);
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[partitionOf(t, `view-${i}`)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});

describe('subjectFilterOverlaps', () => {
  it.each([
    ['sightline.v1.views.>', 'sightline.v1.views.>', true],
    ['sightline.v1.views.final.p3', 'sightline.v1.views.>', true],
    ['sightline.v1.*.final.p3', 'sightline.v1.views.>', true],
    ['sightline.>', 'sightline.v1.views.>', true],
    ['sightline.v1.aggregates.minute.demo.cdn.*', 'sightline.v1.aggregates.>', true],
    ['sightline.v1.views', 'sightline.v1.views.>', false],
    ['sightline.v1.view.final', 'sightline.v1.views.>', false],
    ['acme.v1.views.>', 'sightline.v1.views.>', false],
    ['sightline.v1.alerts.firing.extra', 'sightline.v1.alerts.firing', false],
    ['sightline.v1.alerts.*', 'sightline.v1.alerts.firing', true],
  ])('%s against the stream subject %s: %s', (filter, pattern, expected) => {
    expect(subjectFilterOverlaps(filter, pattern)).toBe(expected);
  });
});
