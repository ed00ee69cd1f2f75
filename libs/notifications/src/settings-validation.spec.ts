import { parseChannel, parseSilence } from './settings-validation';

const defaults = { pagerDutyUrl: 'https://events.pagerduty.com/v2/enqueue' };
const silence = {
  id: 'maint-1',
  matchers: [{ name: 'cohort.cdn', value: 'fastly' }],
  starts_at: 1000,
  ends_at: 2000,
  comment: 'CDN maintenance',
  created_by: 'ops@example.com',
};

describe('parseChannel', () => {
  it('accepts a webhook with a secret', () => {
    const channel = { id: 'ops', kind: 'webhook', url: 'https://hooks.example.com/x', secret: 'whsec_0123456789abcdef', enabled: true };
    expect(parseChannel(channel, defaults)).toEqual({ ok: true, value: channel });
  });

  it('gives a PagerDuty channel the Events API v2 URL by default', () => {
    const parsed = parseChannel({ id: 'pd', kind: 'pagerduty', routing_key: 'R0UT1NG', enabled: true }, defaults);
    expect(parsed.ok && parsed.value.url).toBe(defaults.pagerDutyUrl);
  });

  it.each([
    ['not an object', [], '/', 'a channel is a JSON object'],
    ['an unknown kind', { id: 'x', kind: 'email', url: 'https://a', enabled: true }, '/kind', '/kind'],
    ['a bad URL', { id: 'x', kind: 'webhook', url: 'ftp://a', enabled: true }, '/url', '/url'],
    ['a short secret', { id: 'x', kind: 'webhook', url: 'https://a', secret: 'short', enabled: true }, '/secret', '/secret'],
    ['no enabled flag', { id: 'x', kind: 'webhook', url: 'https://a' }, '/enabled', '/enabled'],
    ['PagerDuty without routing key', { id: 'x', kind: 'pagerduty', enabled: true }, '/routing_key', 'needs its integration'],
    ['a secret on Slack', { id: 'x', kind: 'slack', url: 'https://a', secret: 'whsec_0123456789abcdef', enabled: true }, '/secret', 'only webhook'],
    ['an unknown field', { id: 'x', kind: 'slack', url: 'https://a', enabled: true, colour: 'red' }, '/colour', 'colour'],
  ])('refuses %s, naming the field', (_name, value, field, message) => {
    const parsed = parseChannel(value, defaults);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issue).toMatchObject({ code: 'INVALID_CHANNEL', field });
    expect(parsed.issue.message).toContain(message);
  });
});

describe('parseSilence', () => {
  it('accepts a valid silence', () => {
    expect(parseSilence(silence)).toEqual({ ok: true, value: silence });
  });

  it.each([
    ['ends_at before starts_at', { ...silence, ends_at: 500 }, '/ends_at', 'must be after /starts_at'],
    ['ends_at equal to starts_at', { ...silence, ends_at: 1000 }, '/ends_at', 'must be after'],
    ['a regex that does not compile', { ...silence, matchers: [{ name: 'metric', value: '(', regex: true }] }, '/matchers/0/value', 'not a valid regular expression'],
    ['no matchers', { ...silence, matchers: [] }, '/matchers', '/matchers'],
    ['an unknown matcher name', { ...silence, matchers: [{ name: 'colour', value: 'x' }] }, '/matchers/0/name', '/matchers/0/name'],
    ['no created_by', { ...silence, created_by: undefined }, '/created_by', '/created_by'],
    ['a negative time', { ...silence, starts_at: -1 }, '/starts_at', '/starts_at'],
  ])('refuses %s, naming the field', (_name, value, field, message) => {
    const parsed = parseSilence(value);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issue).toMatchObject({ code: 'INVALID_SILENCE', field });
    expect(parsed.issue.message).toContain(message);
  });
});
