import { partitionedInput, ScoredViewSchema, subjects } from '@sightline/contracts';
import { detectPoorView } from '@sightline/anomaly';
import { statelessStage, type StatelessStage } from '@sightline/messaging';
import type { ServiceContext } from '@sightline/service-kit';
import type { AnomalyConfig } from './anomaly.config';

/** The consumer group (and the name of its durables and output ids). */
export const POOR_VIEW_GROUP = 'anomaly-predictor-scores';

/** Judges final scores with the poor-view rule and publishes the anomalies it flags. */
export function poorViewStage(context: ServiceContext<AnomalyConfig>): StatelessStage<typeof ScoredViewSchema> {
  const { topology } = context;
  const rule = { threshold: context.config.ANOMALY_POOR_VIEW_THRESHOLD };
  return statelessStage({
    name: POOR_VIEW_GROUP,
    input: partitionedInput(topology, 'scores', 'final'),
    schema: ScoredViewSchema,
    deadLetterSubject: subjects.deadLetter(topology, POOR_VIEW_GROUP),
    step: (scored) => {
      const anomaly = detectPoorView(scored, rule);
      return anomaly ? [{ subject: subjects.anomaly(topology, anomaly.metric), payload: anomaly }] : [];
    },
  });
}
