import { takeIn } from './beacon-intake';

const NOW = 1_700_000_000_000;
const ev = (seq: number, extra: object = {}) => ({ seq, type: 'heartbeat', ts: NOW, playhead_ms: 0, ...extra });

describe('beacon intake', () => {
  it('accepts a valid beacon', () => {
    const result = takeIn({ v: 1, view_id: 'v-1', events: [ev(0), ev(1)] }, NOW);
    expect(result).toMatchObject({ ok: true, rejected: [] });
  });

  it('keeps valid events and reports invalid ones by index', () => {
    const result = takeIn({ v: 1, view_id: 'v-1', events: [ev(0), ev(1, { type: 'dance' }), ev(2, { ts: -5 }), ev(0)] }, NOW);
    expect(result.ok).toBe(true);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(result.rejected[0]?.issues[0]?.path).toBe('/type');
    expect(result.rejected[2]?.issues[0]?.message).toContain('repeats');
  });

  it.each([
    ['not an object', 'hello'],
    ['wrong version', { v: 2, view_id: 'v', events: [ev(0)] }],
    ['missing view id', { v: 1, events: [ev(0)] }],
    ['bad view id', { v: 1, view_id: 'a b', events: [ev(0)] }],
    ['no events', { v: 1, view_id: 'v', events: [] }],
    ['unknown field', { v: 1, view_id: 'v', events: [ev(0)], extra: true }],
    ['only invalid events', { v: 1, view_id: 'v', events: [ev(-1)] }],
  ])('rejects %s', (_name, body) => {
    const result = takeIn(body, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
  });
});
