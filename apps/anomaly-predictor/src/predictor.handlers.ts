import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { subjects, type ScoredView } from '@sightline/contracts';
import { detectPoorView } from '@sightline/anomaly';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';

export const PREDICTOR_SCORES = 'anomaly-predictor.scores';

interface PredictorSettings {
  ANOMALY_POOR_VIEW_THRESHOLD: number;
}

/** Judges final scores with the poor-view detector and publishes what it flags. */
@Controller()
export class PredictorHandlers {
  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<PredictorSettings>) {}

  @EventPattern(PREDICTOR_SCORES)
  onScore(@Payload() scored: ScoredView, @Ctx() ctx: JetStreamContext): void {
    const anomaly = detectPoorView(scored, { threshold: this.context.config.ANOMALY_POOR_VIEW_THRESHOLD });
    if (anomaly) ctx.emit(subjects.anomaly(this.context.topology, anomaly.metric), anomaly);
  }
}
