import type { CohortAggregate, ViewActivity } from '@sightline/contracts';
import { tumbling, WindowOperator, type AggregateFunction, type Pane, type WindowOptions } from '@sightline/windowing';
import { MINUTE_MS } from './activity';
import {
  addActivity,
  createAccumulator,
  figuresOf,
  loadAccumulator,
  mergeAccumulators,
  saveAccumulator,
  volumeOf,
  type CohortAccumulator,
} from './accumulator';
import { ALL, checkCombinations, cohortsOf, OTHER, type CohortOptions } from './cohorts';

export const HOUR_MS = 3_600_000;

export interface AggregatorOptions extends CohortOptions {
  /** Named cohorts per dimension and window; the rest fold into "other". */
  readonly topN: number;
  /** Distinct values a window tracks per dimension; later new values go straight to "other". */
  readonly maxTrackedValues: number;
  /** How far event time may run behind the newest activity before a window closes, ms. */
  readonly watermarkDelayMs: number;
  /** After its on-time pane, how long a window still takes late activity (firing late panes), ms. */
  readonly allowedLatenessMs: number;
  /** Early panes of an open minute window, every this much partition time (hour windows: 60 s). */
  readonly earlyEveryMs: number;
  /** With no activity for this long, event time follows partition time (so the last windows close). */
  readonly idleAfterMs: number;
}

export const DEFAULT_AGGREGATOR_OPTIONS: AggregatorOptions = {
  combinations: ['cdn+asn', 'cdn+country'],
  customDimensions: ['*'],
  topN: 20,
  maxTrackedValues: 1000,
  watermarkDelayMs: 90_000,
  allowedLatenessMs: 300_000,
  earlyEveryMs: 5_000,
  idleAfterMs: 60_000,
};

/** An activity with the cohorts it belongs to, as the window operator holds it. */
interface Element {
  readonly activity: ViewActivity;
  readonly cohorts: [string, string][];
}

/** One window's cohorts (`property \0 dimension \0 value` -> totals) and distinct values tracked per property and dimension. */
interface WindowAccumulator {
  readonly cohorts: Map<string, CohortAccumulator>;
  readonly tracked: Map<string, number>;
}

/** A cohort's figures for one pane, before the window and timing are attached. */
interface CohortFigures {
  readonly property: string;
  readonly dimension: string;
  readonly value: string;
  readonly valuesFolded?: number;
  readonly acc: CohortAccumulator;
}

const SEP = '\u0000';

function windowAggregate(options: AggregatorOptions): AggregateFunction<Element, WindowAccumulator, CohortFigures[]> {
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
export function boundCohorts(acc: WindowAccumulator, topN: number): CohortFigures[] {
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

type Operator = WindowOperator<Element, WindowAccumulator, CohortFigures[]>;

/** What the aggregator keeps across restarts (keyed state of the scorer's aggregate group). */
export interface SavedAggregator {
  readonly format: 'sightline-cohort-aggregator';
  readonly version: 1;
  readonly maxAt: number;
  readonly lastInputAt: number;
  /** The window operators' snapshots (libs/windowing), as JSON. */
  readonly minute: unknown;
  readonly hour: unknown;
}

/** The outcome of feeding the aggregator: panes to publish, and activity too late to count. */
export interface AggregatorOutput {
  readonly aggregates: CohortAggregate[];
  readonly late: ViewActivity[];
}

/**
 * Per-minute and per-hour aggregates by cohort over view activity, on event time (the server time
 * of each activity). Deterministic: the same activities at the same partition times give the same
 * panes and the same saved state, so a replay after a crash publishes exactly the same messages.
 *
 * The watermark is the newest activity time minus `watermarkDelayMs`; with no activity for
 * `idleAfterMs` of partition time it moves on with partition time.
 */
export class CohortAggregator {
  private maxAt = Number.NEGATIVE_INFINITY;
  private lastInputAt = Number.NEGATIVE_INFINITY;

  private constructor(
    private readonly options: AggregatorOptions,
    private readonly minute: Operator,
    private readonly hour: Operator,
  ) {}

  static create(options: AggregatorOptions = DEFAULT_AGGREGATOR_OPTIONS): CohortAggregator {
    const [minute, hour] = CohortAggregator.operatorOptions(options);
    return new CohortAggregator(options, new WindowOperator(minute), new WindowOperator(hour));
  }

  static restore(options: AggregatorOptions, saved: SavedAggregator): CohortAggregator {
    if (saved.format !== 'sightline-cohort-aggregator' || saved.version !== 1) {
      throw new Error(`not a cohort aggregator state of version 1 (format ${String(saved.format)}, version ${String(saved.version)})`);
    }
    const [minute, hour] = CohortAggregator.operatorOptions(options);
    const aggregator = new CohortAggregator(
      options,
      WindowOperator.restore(minute, Buffer.from(JSON.stringify(saved.minute))),
      WindowOperator.restore(hour, Buffer.from(JSON.stringify(saved.hour))),
    );
    aggregator.maxAt = saved.maxAt ?? Number.NEGATIVE_INFINITY;
    aggregator.lastInputAt = saved.lastInputAt ?? Number.NEGATIVE_INFINITY;
    return aggregator;
  }

  private static operatorOptions(options: AggregatorOptions): [WindowOptions<Element, WindowAccumulator, CohortFigures[]>, WindowOptions<Element, WindowAccumulator, CohortFigures[]>] {
    checkCombinations(options.combinations);
    if (!Number.isInteger(options.topN) || options.topN < 1) throw new RangeError(`topN must be a positive integer, got ${options.topN}`);
    if (!Number.isInteger(options.maxTrackedValues) || options.maxTrackedValues < options.topN) {
      throw new RangeError(`maxTrackedValues must be an integer of at least topN (${options.topN}), got ${options.maxTrackedValues}`);
    }
    const aggregate = windowAggregate(options);
    const common = { aggregate, allowedLatenessMs: options.allowedLatenessMs };
    return [
      { ...common, assigner: tumbling(MINUTE_MS), trigger: { early: { everyMs: options.earlyEveryMs } } },
      { ...common, assigner: tumbling(HOUR_MS), trigger: { early: { everyMs: Math.max(options.earlyEveryMs, MINUTE_MS) } } },
    ];
  }

  /** Adds one activity at partition time `now`. */
  add(activity: ViewActivity, now: number): AggregatorOutput {
    const element: Element = { activity, cohorts: cohortsOf(activity, this.options) };
    const aggregates: CohortAggregate[] = [];
    const late: ViewActivity[] = [];
    for (const [granularity, operator] of this.operators()) {
      const result = operator.process('', activity.at, element, now);
      aggregates.push(...this.toAggregates(granularity, result.panes));
      if (result.late && granularity === 'minute') late.push(activity);
    }
    this.maxAt = Math.max(this.maxAt, activity.at);
    this.lastInputAt = Math.max(this.lastInputAt, now);
    aggregates.push(...this.advance(now));
    return { aggregates, late };
  }

  /** Partition time moved to `now`: on-time panes of the windows the watermark passed, and early panes due. */
  advance(now: number): CohortAggregate[] {
    const watermark = this.watermarkAt(now);
    const aggregates: CohortAggregate[] = [];
    for (const [granularity, operator] of this.operators()) {
      if (Number.isFinite(watermark)) aggregates.push(...this.toAggregates(granularity, operator.advanceWatermark(watermark)));
      aggregates.push(...this.toAggregates(granularity, operator.onProcessingTime(now)));
    }
    return aggregates;
  }

  /** Event time that all activity to come is expected to be after. */
  watermarkAt(now: number): number {
    if (!Number.isFinite(this.maxAt)) return Number.NEGATIVE_INFINITY;
    const idle = Math.max(0, now - this.lastInputAt - this.options.idleAfterMs);
    return Math.floor(this.maxAt + idle - this.options.watermarkDelayMs);
  }

  /** Windows still holding state (minute and hour). */
  get openWindows(): number {
    return this.minute.openWindows + this.hour.openWindows;
  }

  toJSON(): SavedAggregator {
    return {
      format: 'sightline-cohort-aggregator',
      version: 1,
      maxAt: this.maxAt,
      lastInputAt: this.lastInputAt,
      minute: JSON.parse(Buffer.from(this.minute.snapshot()).toString('utf8')),
      hour: JSON.parse(Buffer.from(this.hour.snapshot()).toString('utf8')),
    };
  }

  private operators(): [CohortAggregate['granularity'], Operator][] {
    return [
      ['minute', this.minute],
      ['hour', this.hour],
    ];
  }

  private toAggregates(granularity: CohortAggregate['granularity'], panes: Pane<CohortFigures[]>[]): CohortAggregate[] {
    const out: CohortAggregate[] = [];
    for (const pane of panes) {
      for (const cohort of pane.value) {
        out.push({
          v: 1,
          property_id: cohort.property,
          granularity,
          window_start: pane.window.start,
          window_end: pane.window.end,
          dimension: cohort.dimension,
          value: cohort.value,
          timing: pane.timing,
          pane_index: pane.index,
          ...(cohort.valuesFolded !== undefined ? { values_folded: cohort.valuesFolded } : {}),
          ...figuresOf(cohort.acc),
        });
      }
    }
    return out;
  }
}
