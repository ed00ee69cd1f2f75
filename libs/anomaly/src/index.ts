export { detectPoorView } from './poor-view-rule';
export { CohortDetector, DEFAULT_DETECTOR_OPTIONS } from './cohort/cohort-detector';
export type { DetectorOptions } from './cohort/cohort-detector';
export { cohortDetectorCodec, detectCohortAnomalies } from './cohort/cohort-step';
export type { CohortStep } from './cohort/cohort-step';
