import type { Silence } from '@sightline/contracts';
import { sampleAlert } from './alert.fixture';
import { isActive, matchesAlert, silencedUntil } from './silences';

function silence(matchers: Silence['matchers'], starts_at = 1000, ends_at = 2000, id = 's1'): Silence {
  return { id, matchers, starts_at, ends_at, comment: 'maintenance', created_by: 'ops' };
}

describe('silences', () => {
  it('are active from starts_at (inclusive) to ends_at (exclusive)', () => {
    const s = silence([{ name: 'property_id', value: 'demo' }]);
    expect([999, 1000, 1999, 2000].map((t) => isActive(s, t))).toEqual([false, true, true, false]);
  });

  it.each([
    ['equal property', [{ name: 'property_id', value: 'demo' }], true],
    ['other property', [{ name: 'property_id', value: 'acme' }], false],
    ['rule and severity', [{ name: 'rule_id', value: 'poor-view' }, { name: 'severity', value: 'warning' }], true],
    ['one matcher of two fails', [{ name: 'rule_id', value: 'poor-view' }, { name: 'severity', value: 'critical' }], false],
    ['metric', [{ name: 'metric', value: 'overall_score' }], true],
    ['cohort dimension', [{ name: 'cohort.cdn', value: 'fastly' }], true],
    ['cohort dimension, other value', [{ name: 'cohort.cdn', value: 'akamai' }], false],
    ['missing dimension reads as empty', [{ name: 'cohort.asn', value: '' }], true],
    ['regex, whole value', [{ name: 'cohort.cdn', value: 'fast.*', regex: true }], true],
    ['regex is anchored', [{ name: 'cohort.cdn', value: 'fast', regex: true }], false],
    ['regex alternatives', [{ name: 'severity', value: 'warning|critical', regex: true }], true],
  ] as [string, Silence['matchers'], boolean][])('%s', (_name, matchers, expected) => {
    expect(matchesAlert(silence(matchers), sampleAlert())).toBe(expected);
  });

  it('hold an alert until the latest end of the active silences that select it', () => {
    const silences = [
      silence([{ name: 'property_id', value: 'demo' }], 1000, 2000, 'a'),
      silence([{ name: 'cohort.cdn', value: 'fastly' }], 1000, 5000, 'b'),
      silence([{ name: 'cohort.cdn', value: 'akamai' }], 1000, 9000, 'c'),
      silence([{ name: 'property_id', value: 'demo' }], 6000, 9000, 'later'),
    ];
    expect(silencedUntil(silences, sampleAlert(), 1500)).toBe(5000);
    expect(silencedUntil(silences, sampleAlert(), 5000)).toBeUndefined();
    expect(silencedUntil(silences, sampleAlert(), 6000)).toBe(9000);
    expect(silencedUntil(silences, sampleAlert({ property_id: 'acme', cohort: {} }), 1500)).toBeUndefined();
  });
});
