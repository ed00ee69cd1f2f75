import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst, then the rate, per key', () => {
    const limiter = new RateLimiter();
    const take = (key: string, now: number) => limiter.take(key, now, 2, 3);
    expect([0, 0, 0].map(() => take('a', 0))).toEqual([0, 0, 0]);
    expect(take('a', 0)).toBe(1);
    expect(take('b', 0)).toBe(0);
    expect(take('a', 500)).toBe(0);
    expect(take('a', 500)).toBe(1);
  });
});
