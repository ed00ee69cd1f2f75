import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { subjects, type CohortAggregate } from '@sightline/contracts';
import { CohortDetector, DEFAULT_DETECTOR_OPTIONS, type DetectorOptions, type SavedDetector } from '@sightline/anomaly';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { Counter, Gauge } from 'prom-client';

export const PREDICTOR_AGGREGATES = 'anomaly-predictor.aggregates';

export interface CohortDetectorSettings {
  ANOMALY_FIRE_Z: number;
  ANOMALY_PERSIST_MS: number;
  ANOMALY_RESOLVE_MS: number;
  ANOMALY_SEASONAL_DAYS: number;
}

export function detectorOptions(c: CohortDetectorSettings): DetectorOptions {
  return {
    ...DEFAULT_DETECTOR_OPTIONS,
    fireZ: c.ANOMALY_FIRE_Z,
    persistMs: c.ANOMALY_PERSIST_MS,
    resolveMs: c.ANOMALY_RESOLVE_MS,
    baseline: { ...DEFAULT_DETECTOR_OPTIONS.baseline, seasonalDays: c.ANOMALY_SEASONAL_DAYS },
  };
}

/**
 * Watches the minute aggregates, one detector per property (its keyed state): baselines per
 * cohort and metric, verdicts on every pane, root-cause search, one anomaly per cause.
 */
@Controller()
export class CohortHandlers {
  private readonly options: DetectorOptions;
  private readonly anomalies: Counter<'metric' | 'severity'>;
  private active = 0;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<CohortDetectorSettings>) {
    this.options = detectorOptions(context.config);
    this.anomalies = new Counter({
      name: 'sightline_cohort_anomalies_total',
      help: 'Cohort anomalies published, by metric and severity',
      labelNames: ['metric', 'severity'],
      registers: [context.metrics],
    });
    const active = () => this.active;
    new Gauge({
      name: 'sightline_cohort_anomalies_active',
      help: 'Cohort anomalies in progress (last property seen)',
      registers: [context.metrics],
      collect() {
        this.set(active());
      },
    });
  }

  /**
   * The detector is the key's state object itself, changed in place (its `toJSON` is what a
   * checkpoint saves), so that a pane costs no copy of every baseline; after a restore the state
   * is the saved form and is rebuilt. `onAggregate` does not throw on a payload that passed the schema.
   */
  @EventPattern(PREDICTOR_AGGREGATES)
  onAggregate(@Payload() aggregate: CohortAggregate, @Ctx() ctx: JetStreamContext<CohortDetector | SavedDetector>): void {
    const stored = ctx.state.get();
    const detector = stored instanceof CohortDetector ? stored : stored ? CohortDetector.restore(this.options, stored) : CohortDetector.create(this.options);
    for (const anomaly of detector.onAggregate(aggregate, ctx.now)) {
      ctx.emit(subjects.anomaly(this.context.topology, anomaly.metric), anomaly);
      this.anomalies.inc({ metric: anomaly.metric, severity: anomaly.severity });
    }
    ctx.state.set(detector);
    this.active = detector.activeCount;
  }
}
