import type { Anomaly, CohortAggregate } from '@sightline/contracts';
import { CohortDetector, type DetectorOptions, type SavedDetector } from './cohort-detector';

/** A property's detector after one step of the cohort stage, and the anomalies to publish. */
export interface CohortStep {
  readonly state: CohortDetector;
  readonly anomalies: Anomaly[];
}

/**
 * One pane of a property's minute aggregates at partition time `now`, judged by the property's
 * detector in place (the stage runtime applies a step only when it returns, so the detector needs
 * no copy); the property's first pane creates it. Does not throw on a pane that passed the schema.
 */
export function detectCohortAnomalies(stored: CohortDetector | undefined, aggregate: CohortAggregate, now: number, options: DetectorOptions): CohortStep {
  const detector = stored ?? CohortDetector.create(options);
  return { state: detector, anomalies: detector.onAggregate(aggregate, now) };
}

/** The detector's state codec: its saved form at a checkpoint, and back at a restore. */
export function cohortDetectorCodec(options: DetectorOptions): { save(detector: CohortDetector): SavedDetector; restore(saved: unknown): CohortDetector } {
  return {
    save: (detector) => detector.save(),
    restore: (saved) => CohortDetector.restore(options, saved as SavedDetector),
  };
}
