import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { partitionOf, subjects, type ViewSnapshot } from '@sightline/contracts';
import { scoreView } from '@sightline/qoe-score';
import { JetStreamContext, SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';

export const SCORER_VIEWS = 'qoe-scorer.views';

/** Scores every view snapshot: live scores while it plays, final scores once complete. */
@Controller()
export class ScorerHandlers {
  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>) {}

  @EventPattern(SCORER_VIEWS)
  onView(@Payload() view: ViewSnapshot, @Ctx() ctx: JetStreamContext): void {
    const scored = scoreView(view);
    const { topology } = this.context;
    ctx.emit(subjects.score(topology, scored.kind, partitionOf(topology, view.view_id)), scored);
  }
}
