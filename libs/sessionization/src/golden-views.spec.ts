import type { ViewMetrics, ViewSnapshot } from '@sightline/contracts';
import { eventsOf, GOLDEN, T0, type Step } from './golden-views.fixture';
import { onBatch } from './sessionizer';

function completedView(steps: Step[]): ViewSnapshot {
  const { output } = onBatch(undefined, { v: 1, view_id: 'golden', enrichment: { property_id: 'p', received_at: T0 }, events: eventsOf(steps) });
  if (!output.completed) throw new Error('the script does not complete its view');
  return output.completed;
}

describe('golden views: metrics computed by hand, checked field by field', () => {
  it.each(GOLDEN)('$name', ({ steps, expected, endReason }) => {
    const view = completedView(steps);
    for (const [field, value] of Object.entries(expected)) {
      const actual = view.metrics[field as keyof ViewMetrics];
      if (typeof value === 'number' && !Number.isInteger(value)) expect([field, actual]).toEqual([field, expect.closeTo(value, 9)]);
      else expect([field, actual]).toEqual([field, value]);
    }
    expect(view.end_reason).toBe(endReason ?? 'viewend');
  });
});
