import { controlCharacterProblem, deviceTimeProblem, mayHoldControlCharacters, nestingProblem } from './input-guards';

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

  describe('whether a JSON text can hold control characters', () => {
    const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

    it.each([
      ['an escaped NUL', { x: 'a\u0000b' }],
      ['an escaped bell', { x: 'bell\u0007' }],
      ['a raw DEL', { x: 'del\u007f' }],
      ['a control character in a key', { ['k\u0001']: 1 }],
    ])('says yes for %s, which the walk then finds', (_name, value) => {
      expect(mayHoldControlCharacters(text(value))).toBe(true);
      expect(controlCharacterProblem(value)).toBeDefined();
    });

    it('says no for text without escapes, multi-byte characters included', () => {
      expect(mayHoldControlCharacters(text({ title: 'Fjörd – 北京 🎬', url: 'https://cdn.example/a/b' }))).toBe(false);
    });
  });
});
