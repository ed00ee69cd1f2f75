import type { CohortAggregate, ViewActivity } from '@sightline/contracts';
import {
  CombinedWatermark,
  tumbling,
  WindowOperator,
  type OperatorSnapshot,
  type Pane,
  type SavedCombinedWatermark,
  type WindowOptions,
} from '@sightline/windowing';
import { MINUTE_MS } from './activity';
import { figuresOf } from './accumulator';
import { checkCombinations, cohortsOf, type CohortOptions } from './cohorts';
import { windowAggregate, type CohortFigures, type Element, type WindowAccumulator, type WindowCohortOptions } from './cohort-window';

const HOUR_MS = 3_600_000;

export interface AggregatorOptions extends CohortOptions, WindowCohortOptions {
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

type Operator = WindowOperator<Element, WindowAccumulator, CohortFigures[]>;

const FORMAT = 'sightline-cohort-aggregator';

/** The aggregator's one input: the activity stream, read as a single partition. */
const ACTIVITY = 'activity';

/** What the aggregator keeps across restarts (keyed state of the scorer's aggregate stage). */
export interface SavedAggregator {
  readonly format: typeof FORMAT;
  readonly version: 2;
  /** Event time of the activity input (libs/windowing's combined watermark). */
  readonly watermark: SavedCombinedWatermark;
  /** The window operators' states (libs/windowing). */
  readonly minute: OperatorSnapshot;
  readonly hour: OperatorSnapshot;
}

/** The form version 1 saved: the newest activity time and the partition time of the last activity (null before any). */
interface SavedAggregatorV1 extends Omit<SavedAggregator, 'version' | 'watermark'> {
  readonly version: 1;
  readonly maxAt: number | null;
  readonly lastInputAt: number | null;
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
 * `idleAfterMs` of partition time it moves on with partition time (libs/windowing's
 * `CombinedWatermark` over the one input, following the clock when idle).
 */
export class CohortAggregator {
  private constructor(
    private readonly options: AggregatorOptions,
    private readonly minute: Operator,
    private readonly hour: Operator,
    private readonly eventTime: CombinedWatermark,
  ) {}

  static create(options: AggregatorOptions = DEFAULT_AGGREGATOR_OPTIONS): CohortAggregator {
    const [minute, hour] = CohortAggregator.operatorOptions(options);
    return new CohortAggregator(options, new WindowOperator(minute), new WindowOperator(hour), CohortAggregator.eventTimeOf(options));
  }

  /** Rebuilds an aggregator from `save()` (or a version 1 state), to run on with `options`. */
  static restore(options: AggregatorOptions, saved: SavedAggregator | SavedAggregatorV1): CohortAggregator {
    if (saved.format !== FORMAT || (saved.version !== 1 && saved.version !== 2)) {
      throw new Error(`not a cohort aggregator state of version 1 or 2 (format ${String(saved.format)}, version ${String(saved.version)})`);
    }
    const [minute, hour] = CohortAggregator.operatorOptions(options);
    return new CohortAggregator(options, WindowOperator.load(minute, saved.minute), WindowOperator.load(hour, saved.hour), CohortAggregator.eventTimeOf(options, saved));
  }

  private static eventTimeOf(options: AggregatorOptions, saved?: SavedAggregator | SavedAggregatorV1): CombinedWatermark {
    if (saved?.version === 2) return CombinedWatermark.restore(saved.watermark, options.idleAfterMs, 'follow-clock');
    const eventTime = new CombinedWatermark(options.idleAfterMs, 'follow-clock');
    if (saved && saved.maxAt !== null && saved.lastInputAt !== null) eventTime.update(ACTIVITY, saved.maxAt - options.watermarkDelayMs, saved.lastInputAt);
    return eventTime;
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
    this.eventTime.update(ACTIVITY, activity.at - this.options.watermarkDelayMs, now);
    aggregates.push(...this.advance(now));
    return { aggregates, late };
  }

  /** Partition time moved to `now`: on-time panes of the windows the watermark passed, and early panes due. */
  advance(now: number): CohortAggregate[] {
    const watermark = this.watermarkAt(now);
    const aggregates: CohortAggregate[] = [];
    for (const [granularity, operator] of this.operators()) {
      aggregates.push(...this.toAggregates(granularity, operator.advanceWatermark(watermark)));
      aggregates.push(...this.toAggregates(granularity, operator.onProcessingTime(now)));
    }
    return aggregates;
  }

  /** Event time that all activity to come is expected to be after. */
  watermarkAt(now: number): number {
    return this.eventTime.current(now);
  }

  /** Windows still holding state (minute and hour). */
  get openWindows(): number {
    return this.minute.openWindows + this.hour.openWindows;
  }

  /** The state as plain JSON data, for a checkpoint. */
  save(): SavedAggregator {
    return { format: FORMAT, version: 2, watermark: this.eventTime.save(), minute: this.minute.save(), hour: this.hour.save() };
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
