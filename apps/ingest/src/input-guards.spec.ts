import { controlCharacterProblem, deviceTimeProblem, nestingProblem } from './input-guards';

describe('input guards', () => {
  it('finds nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = { a: deep };
    expect(nestingProblem(deep)?.message).toBe('nested deeper than 8 levels');
    expect(nestingProblem({ events: [{ rendition: { bitrate_bps: 1 } }] })).toBeUndefined();
  });

  it.each([
    ['a\u0000b', '/x'],
    ['bell\u0007', '/x'],
  ])('finds the control character in %j', (text, path) => {
    expect(controlCharacterProblem({ x: text })).toEqual({ path, message: 'contains a control character' });
  });

  it('allows tabs and new lines in text', () => {
    expect(controlCharacterProblem({ message: 'line 1\nline 2\tend' })).toBeUndefined();
  });

  it.each([
    [0, /before 2000-01-01/],
    [1_700_000_000_000 + 31 * 24 * 3600 * 1000, /more than 30 days ahead/],
  ])('refuses device time %d', (ts, message) => {
    expect(deviceTimeProblem(ts, 1_700_000_000_000)?.message).toMatch(message);
  });

  it('accepts a device clock that is somewhat wrong', () => {
    expect(deviceTimeProblem(1_700_000_000_000 + 3600_000, 1_700_000_000_000)).toBeUndefined();
    expect(deviceTimeProblem(1_600_000_000_000, 1_700_000_000_000)).toBeUndefined();
  });
});
