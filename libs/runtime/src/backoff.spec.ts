import { fc, test } from '@fast-check/jest';
import { backoffCeilingMs, backoffDelayMs } from './backoff';

const policy = { baseMs: 1000, maxMs: 300_000 };

describe('backoffDelayMs (full jitter)', () => {
  test.prop([fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    'stays within [0, min(max, base * 2^(attempt-1))]',
    (attempt, r) => {
      const delay = backoffDelayMs(attempt, policy, () => r);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)));
      expect(Number.isInteger(delay)).toBe(true);
    },
  );

  it.each([
    [1, 1000],
    [2, 2000],
    [5, 16_000],
    [9, 256_000],
    [10, 300_000],
    [60, 300_000],
  ])('after failure %i the ceiling is %i ms', (attempt, ceiling) => {
    expect(backoffDelayMs(attempt, policy, () => 0.999_999_999)).toBe(ceiling);
    expect(backoffDelayMs(attempt, policy, () => 0)).toBe(0);
  });

  it('refuses attempts below 1', () => {
    expect(() => backoffDelayMs(0, policy, Math.random)).toThrow('attempt must be an integer >= 1');
  });
});

describe('backoffCeilingMs', () => {
  it.each([
    [1, 1000],
    [3, 4000],
    [10, 300_000],
    [2000, 300_000],
  ])('after failure %i waits %i ms', (attempt, delay) => {
    expect(backoffCeilingMs(attempt, policy)).toBe(delay);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %p', (attempt) => {
    expect(() => backoffCeilingMs(attempt, policy)).toThrow(RangeError);
  });
});
