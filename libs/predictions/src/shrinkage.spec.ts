import { priorStrength, shrink } from './shrinkage';

describe('shrinkage', () => {
  it.each([
    [{ weight: 0, sum: 0 }, 0.1, 20, 0.1],
    [{ weight: 20, sum: 10 }, 0.1, 20, 0.3],
    [{ weight: 2000, sum: 1000 }, 0.1, 20, (1000 + 2) / 2020],
  ])('%j with prior %d and strength %d gives %d', (observed, prior, strength, expected) => {
    expect(shrink(observed, prior, strength)).toBeCloseTo(expected, 10);
  });

  const bounds = { min: 2, max: 500 };
  it('trusts cohorts little when they differ no more than noise', () => {
    const cohorts = [0.1, 0.1, 0.1, 0.1].map((p) => ({ weight: 1000, sum: 1000 * p }));
    expect(priorStrength(cohorts, 0.09, bounds)).toBe(500);
  });

  it('trusts cohorts much when they differ far beyond noise', () => {
    const cohorts = [0.05, 0.3, 0.6, 0.1].map((p) => ({ weight: 1000, sum: 1000 * p }));
    const strength = priorStrength(cohorts, 0.2 * 0.8, bounds);
    expect(strength).toBeGreaterThanOrEqual(2);
    expect(strength).toBeLessThan(10);
  });

  it('needs two cohorts with weight', () => {
    expect(priorStrength([{ weight: 10, sum: 1 }, { weight: 0, sum: 0 }], 0.1, bounds)).toBe(500);
  });
});
