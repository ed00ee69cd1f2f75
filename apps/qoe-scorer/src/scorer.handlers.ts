import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { partitionOf, subjects, type ViewActivity, type ViewSnapshot } from '@sightline/contracts';
import { activityOf, CohortAggregator, type ActivityCursor, type AggregatorOptions, type SavedAggregator } from '@sightline/qoe-aggregates';
import { scoreView } from '@sightline/qoe-score';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext, type TimerEvent } from '@sightline/service-kit';
import { Counter, Gauge } from 'prom-client';
import { aggregatorOptions, type ScorerSettings } from './scorer.config';

export const SCORER_VIEWS = 'qoe-scorer.views';
export const SCORER_VIEW_TIMERS = 'qoe-scorer.view-timers';
export const SCORER_AGGREGATES = 'qoe-scorer.aggregates';
export const SCORER_AGGREGATE_TIMERS = 'qoe-scorer.aggregate-timers';

/** The one state key of the aggregate group: all cohorts of all windows live in one aggregator. */
export const AGGREGATOR_KEY = 'aggregator';

/** The state key of a view: views are unique per property. */
export function viewKey(view: ViewSnapshot): string {
  return `${view.property_id}/${view.view_id}`;
}

/**
 * Scores every view snapshot (live scores while it plays, final once complete) and says what the
 * view did since its previous snapshot (its activity); then folds all activity into per-minute
 * and per-hour aggregates by cohort.
 */
@Controller()
export class ScorerHandlers {
  private readonly options: AggregatorOptions;
  private readonly lateActivity: Counter;
  private readonly published: Counter<'granularity' | 'timing'>;
  private openWindows = 0;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<ScorerSettings>) {
    this.options = aggregatorOptions(context.config);
    this.lateActivity = new Counter({
      name: 'sightline_scorer_late_activity_total',
      help: 'View activity that arrived after its minute window was closed for good (past the allowed lateness); not counted in any aggregate',
      registers: [context.metrics],
    });
    this.published = new Counter({
      name: 'sightline_scorer_aggregates_published_total',
      help: 'Cohort aggregates published, by granularity and pane timing',
      labelNames: ['granularity', 'timing'],
      registers: [context.metrics],
    });
    const openWindows = () => this.openWindows;
    new Gauge({
      name: 'sightline_scorer_open_windows',
      help: 'Minute and hour windows the aggregator holds',
      registers: [context.metrics],
      collect() {
        this.set(openWindows());
      },
    });
  }

  @EventPattern(SCORER_VIEWS)
  onView(@Payload() view: ViewSnapshot, @Ctx() ctx: JetStreamContext<ActivityCursor>): void {
    const { topology } = this.context;
    const partition = partitionOf(topology, view.view_id);
    ctx.emit(subjects.score(topology, view.status === 'completed' ? 'final' : 'live', partition), scoreView(view));
    const { activity, cursor } = activityOf(ctx.state.get(), view);
    if (activity) ctx.emit(subjects.activity(topology, partition), activity);
    ctx.state.set(cursor);
    ctx.state.setTimer(ctx.now + this.context.config.SCORER_VIEW_STATE_TTL_HOURS * 3600_000);
  }

  /** A view silent for longer than the sessionizer keeps it: forget it. */
  @EventPattern(SCORER_VIEW_TIMERS)
  onViewTimer(@Payload() _timer: TimerEvent, @Ctx() ctx: JetStreamContext<ActivityCursor>): void {
    ctx.state.delete();
  }

  @EventPattern(SCORER_AGGREGATES)
  onActivity(@Payload() activity: ViewActivity, @Ctx() ctx: JetStreamContext<CohortAggregator | SavedAggregator>): void {
    const aggregator = this.aggregator(ctx);
    const { aggregates, late } = aggregator.add(activity, ctx.now);
    if (late.length > 0) {
      this.lateActivity.inc(late.length);
      this.context.logger.warn({ view_id: activity.view_id, at: activity.at, watermark: aggregator.watermarkAt(ctx.now) }, 'view activity too late for its window; not aggregated');
    }
    this.publish(ctx, aggregator, aggregates);
  }

  @EventPattern(SCORER_AGGREGATE_TIMERS)
  onAggregateTimer(@Payload() _timer: TimerEvent, @Ctx() ctx: JetStreamContext<CohortAggregator | SavedAggregator>): void {
    const aggregator = this.aggregator(ctx);
    this.publish(ctx, aggregator, aggregator.advance(ctx.now));
  }

  /**
   * The live aggregator. It is kept as the key's state object itself and changed in place (its
   * `toJSON` is what a checkpoint saves), so that a message costs no copy of every open window;
   * after a restore the state is the saved form and is rebuilt. Changing state in place is safe
   * here only because `add` and `advance` do not throw on a payload that passed the schema.
   */
  private aggregator(ctx: JetStreamContext<CohortAggregator | SavedAggregator>): CohortAggregator {
    const stored = ctx.state.get();
    if (stored instanceof CohortAggregator) return stored;
    return stored ? CohortAggregator.restore(this.options, stored) : CohortAggregator.create(this.options);
  }

  private publish(ctx: JetStreamContext<CohortAggregator | SavedAggregator>, aggregator: CohortAggregator, aggregates: ReturnType<CohortAggregator['advance']>): void {
    const { topology } = this.context;
    for (const aggregate of aggregates) {
      ctx.emit(subjects.aggregate(topology, aggregate.granularity, aggregate.property_id, aggregate.dimension, aggregate.value), aggregate);
      this.published.inc({ granularity: aggregate.granularity, timing: aggregate.timing });
    }
    ctx.state.set(aggregator);
    this.openWindows = aggregator.openWindows;
    // Partition time advances through ticks while the input is quiet: look again in a second.
    ctx.state.setTimer(ctx.now + 1000);
  }
}
