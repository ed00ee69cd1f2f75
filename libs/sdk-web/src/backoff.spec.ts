import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, retryAfterMs, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(6, 1)).toBe(BACKOFF_MAX_MS);
    expect(retryDelayMs(50, 1)).toBe(BACKOFF_MAX_MS);
    expect(retryDelayMs(50, 0)).toBe(BACKOFF_MAX_MS / 2);
    expect(retryDelayMs(1, 0.5)).toBe(BACKOFF_BASE_MS * 0.75);
  });

  it('waits at least what the server asked for', () => {
    expect(retryDelayMs(1, 0, 7_000)).toBe(7_000);
    expect(retryDelayMs(6, 1, 1_000)).toBe(BACKOFF_MAX_MS);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('100000', now)).toBe(600_000);
  });
});
