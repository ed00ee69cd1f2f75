import type { ViewActivity } from '@sightline/contracts';
import type { AggregateFunction } from '@sightline/windowing';
import { addActivity, createAccumulator, loadAccumulator, mergeAccumulators, saveAccumulator, volumeOf, type CohortAccumulator } from './accumulator';
import { ALL, OTHER } from './cohorts';

/** How a window bounds its cohorts. */
export interface WindowCohortOptions {
  /** Named cohorts per dimension and window; the rest fold into "other". */
  readonly topN: number;
  /** Distinct values a window tracks per dimension; later new values go straight to "other". */
  readonly maxTrackedValues: number;
}

/** An activity with the cohorts it belongs to, as the window operator holds it. */
export interface Element {
  readonly activity: ViewActivity;
  readonly cohorts: [string, string][];
}

/** One window's cohorts (`property \0 dimension \0 value` -> totals) and distinct values tracked per property and dimension. */
export interface WindowAccumulator {
  readonly cohorts: Map<string, CohortAccumulator>;
  readonly tracked: Map<string, number>;
}

/** A cohort's figures for one pane, before the window and timing are attached. */
export interface CohortFigures {
  readonly property: string;
  readonly dimension: string;
  readonly value: string;
  readonly valuesFolded?: number;
  readonly acc: CohortAccumulator;
}

const SEP = '\u0000';

/** The aggregate function of one window: every cohort's totals, bounded to the top N per dimension when a pane fires. */
export function windowAggregate(options: WindowCohortOptions): AggregateFunction<Element, WindowAccumulator, CohortFigures[]> {
  return {
    create: () => ({ cohorts: new Map(), tracked: new Map() }),
    add: (acc, { activity, cohorts }) => {
      const property = activity.property_id;
      for (const [dimension, value] of cohorts) {
        let key = `${property}${SEP}${dimension}${SEP}${value}`;
        let cohort = acc.cohorts.get(key);
        if (!cohort) {
          const scope = `${property}${SEP}${dimension}`;
          const tracked = acc.tracked.get(scope) ?? 0;
          if (tracked >= options.maxTrackedValues) {
            key = `${scope}${SEP}${OTHER}${SEP}overflow`;
            cohort = acc.cohorts.get(key);
          } else {
            acc.tracked.set(scope, tracked + 1);
          }
          if (!cohort) {
            cohort = createAccumulator();
            acc.cohorts.set(key, cohort);
          }
        }
        addActivity(cohort, activity);
      }
      return acc;
    },
    merge: (a, b) => {
      for (const [key, cohort] of b.cohorts) {
        const mine = a.cohorts.get(key);
        a.cohorts.set(key, mine ? mergeAccumulators(mine, cohort) : cohort);
      }
      for (const [dimension, n] of b.tracked) a.tracked.set(dimension, (a.tracked.get(dimension) ?? 0) + n);
      return a;
    },
    result: (acc) => boundCohorts(acc, options.topN),
    save: (acc) => ({ cohorts: [...acc.cohorts].map(([key, cohort]) => [key, saveAccumulator(cohort)]), tracked: [...acc.tracked] }),
    load: (saved) => {
      const s = saved as { cohorts: [string, unknown][]; tracked: [string, number][] };
      return { cohorts: new Map(s.cohorts.map(([key, cohort]) => [key, loadAccumulator(cohort)])), tracked: new Map(s.tracked) };
    },
  };
}

/**
 * Per property and dimension, the `topN` values by volume (attempts + peak concurrent viewers; ties by value)
 * keep their own cohort, the rest (and values past the tracking bound) fold into "other".
 * Ordered by property and dimension, then volume: the same window gives the same list.
 */
function boundCohorts(acc: WindowAccumulator, topN: number): CohortFigures[] {
  const byScope = new Map<string, { value: string; acc: CohortAccumulator; overflow: boolean }[]>();
  for (const [key, cohort] of acc.cohorts) {
    const [property, dimension, value, overflow] = key.split(SEP) as [string, string, string, string | undefined];
    const scope = `${property}${SEP}${dimension}`;
    let list = byScope.get(scope);
    if (!list) byScope.set(scope, (list = []));
    list.push({ value, acc: cohort, overflow: overflow !== undefined });
  }
  const out: CohortFigures[] = [];
  for (const scope of [...byScope.keys()].sort()) {
    const [property, dimension] = scope.split(SEP) as [string, string];
    const list = byScope.get(scope)!;
    const named = list.filter((c) => !c.overflow).sort((a, b) => volumeOf(b.acc) - volumeOf(a.acc) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const keep = dimension === ALL ? named : named.slice(0, topN);
    for (const c of keep) out.push({ property, dimension, value: c.value, acc: c.acc });
    const folded = [...(dimension === ALL ? [] : named.slice(topN)), ...list.filter((c) => c.overflow)];
    if (folded.length > 0) {
      const other = folded.reduce((sum, c) => mergeAccumulators(sum, c.acc), createAccumulator());
      const counted = folded.filter((c) => !c.overflow).length;
      out.push({ property, dimension, value: OTHER, ...(counted > 0 ? { valuesFolded: counted } : {}), acc: other });
    }
  }
  return out;
}
