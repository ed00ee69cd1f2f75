import { DDSketch } from '@datadog/sketches-js';
import fc from 'fast-check';
import { loadSketch, saveSketch } from './aggregates';

describe('saved sketches', () => {
  // Non-negative values only: @datadog/sketches-js 2.x merges only the positive store (and zeros), so
  // merged sketches of negative values lose them; durations and scores are never negative.
  it('are canonical: the same values give the same bytes, whatever the order, merges and reloads', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 0, maxLength: 200 }), fc.integer({ min: 0, max: 200 }), (values, cut) => {
        const one = new DDSketch({ relativeAccuracy: 0.01 });
        for (const v of values) one.accept(v);
        const [a, b] = [new DDSketch({ relativeAccuracy: 0.01 }), new DDSketch({ relativeAccuracy: 0.01 })];
        values.slice(0, cut).reverse().forEach((v) => a.accept(v));
        values.slice(cut).forEach((v) => b.accept(v));
        const reloaded = loadSketch(saveSketch(b, 0.01), 0.01);
        const merged = loadSketch(saveSketch(a, 0.01), 0.01);
        merged.merge(reloaded);
        expect(saveSketch(merged, 0.01)).toBe(saveSketch(one, 0.01));
        for (const q of [0, 0.5, 0.95, 1]) {
          if (values.length > 0) expect(merged.getValueAtQuantile(q)).toBe(one.getValueAtQuantile(q));
        }
      }),
      { numRuns: 40 },
    );
  });
});
