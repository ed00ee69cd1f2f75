export { createTopology, partitionOf, fnv1a32, subjects, subjectToken, fromSubjectToken, streams, streamName, partitionedInput, singleInput, minuteAggregatesInput, subjectFilterOverlaps } from './topology';
export type { Topology, StreamKey, StreamSpec, PartitionedInput } from './topology';
export { compileValidator, formatIssues } from './validation';
export type { Validator, ValidationIssue, ValidationResult } from './validation';
export { PLAYER_EVENT_TYPES, PlayerEventSchema, PlayerErrorSchema, RenditionSchema, RequestSchema } from './events/player-event';
export type { PlayerEvent, PlayerEventType } from './events/player-event';
export { ViewContextSchema, EnrichmentSchema } from './events/view-context';
export type { ViewContext, Enrichment } from './events/view-context';
export { BeaconSchema, EventBatchSchema, MAX_EVENTS_PER_BEACON } from './events/beacon';
export type { Beacon, EventBatch } from './events/beacon';
export { ViewSnapshotSchema, ViewMetricsSchema, ClientDimensionsSchema, VIEW_STATUSES } from './views/view-snapshot';
export type { ViewSnapshot, ViewMetrics, ClientDimensions } from './views/view-snapshot';
export { ScoredViewSchema, ScoresSchema } from './scores/scored-view';
export type { ScoredView, Scores } from './scores/scored-view';
export { ViewActivitySchema } from './aggregates/view-activity';
export type { ViewActivity } from './aggregates/view-activity';
export { CohortAggregateSchema, GRANULARITIES, PANE_TIMINGS } from './aggregates/cohort-aggregate';
export type { CohortAggregate } from './aggregates/cohort-aggregate';
export { AnomalySchema, CohortSchema, SeveritySchema, SEVERITIES } from './anomalies/anomaly';
export type { Anomaly, Cohort, Severity } from './anomalies/anomaly';
export {
  AlertSchema,
  ALERT_STATES,
  SilenceSchema,
  SilenceMatcherSchema,
  ChannelSchema,
  AlertRuleSchema,
  ThresholdRuleSchema,
  AnomalyRuleSchema,
  THRESHOLD_METRICS,
} from './alerts/alert';
export type { Alert, Silence, Channel, AlertRule, ThresholdRule, AnomalyRule } from './alerts/alert';
export {
  PredictionContextSchema,
  StartPredictionRequestSchema,
  StartPredictionSchema,
  ProgressPredictionRequestSchema,
  ProgressPredictionSchema,
  ViewProgressSchema,
  PredictionEvidenceSchema,
  PredictionErrorSchema,
  PREDICTION_ERROR_CODES,
} from './predictions/prediction';
export type {
  PredictionContext,
  StartPredictionRequest,
  StartPrediction,
  ProgressPredictionRequest,
  ProgressPrediction,
  ViewProgress,
  PredictionError,
} from './predictions/prediction';
export {
  PredictionModelSchema,
  PredictionModelSnapshotSchema,
  PredictionStatsSchema,
  PREDICTION_MODEL_VERSION,
  PREDICTION_STAT_FIELDS,
  PREDICTION_DIMENSIONS,
} from './predictions/prediction-model';
export type { PredictionModel, PredictionModelSnapshot, PredictionDimension } from './predictions/prediction-model';
export { asyncApiDocument } from './asyncapi';
export { CONTRACT_VERSION } from './version';
