import type { CohortAggregate, ViewActivity } from '@sightline/contracts';
import { CohortAggregator, type AggregatorOptions, type SavedAggregator } from './cohort-aggregator';

/** The one state key of the aggregate stage: all cohorts of all windows live in one aggregator. */
export const AGGREGATOR_KEY = 'aggregator';

/** Partition time between two looks at a quiet input (ticks move it on), ms. */
export const AGGREGATOR_TIMER_MS = 1000;

/** The aggregator after one step of the scorer's aggregate stage, and what to publish. */
export interface AggregatorStep {
  readonly state: CohortAggregator;
  readonly timer: number;
  readonly aggregates: CohortAggregate[];
  /** Activity too late for its minute window (past the allowed lateness): counted nowhere. */
  readonly late: ViewActivity[];
}

/**
 * One activity at partition time `now`, folded into the aggregator in place (the stage runtime
 * applies a step only when it returns, so the live aggregator needs no copy).
 */
export function aggregateActivity(stored: CohortAggregator | undefined, activity: ViewActivity, now: number, options: AggregatorOptions): AggregatorStep {
  const aggregator = stored ?? CohortAggregator.create(options);
  const { aggregates, late } = aggregator.add(activity, now);
  return { state: aggregator, timer: now + AGGREGATOR_TIMER_MS, aggregates, late };
}

/** The aggregator's timer at partition time `now`: windows the watermark passed close, early panes that are due fire. */
export function advanceAggregator(stored: CohortAggregator | undefined, now: number, options: AggregatorOptions): AggregatorStep {
  const aggregator = stored ?? CohortAggregator.create(options);
  return { state: aggregator, timer: now + AGGREGATOR_TIMER_MS, aggregates: aggregator.advance(now), late: [] };
}

/** The aggregator's state codec: its JSON form at a checkpoint, and back at a restore. */
export function aggregatorCodec(options: AggregatorOptions): { save(aggregator: CohortAggregator): SavedAggregator; restore(saved: unknown): CohortAggregator } {
  return {
    save: (aggregator) => aggregator.save(),
    restore: (saved) => CohortAggregator.restore(options, saved as SavedAggregator),
  };
}
