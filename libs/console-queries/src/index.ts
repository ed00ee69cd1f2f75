export { QUERY_ERROR_CODES, QueryError } from './query-error';
export type { QueryErrorCode } from './query-error';
export { METRICS, METRIC_NAMES, OVERVIEW_METRICS, isMetric } from './metrics';
export type { Figures, MetricName } from './metrics';
export { Totals, totalsOf, latestWindows } from './totals';
export {
  AUTO_MINUTE_SPAN_MS,
  DEFAULT_SPAN_MS,
  DIMENSIONS,
  HOUR_MS,
  MAX_SPAN_MS,
  MINUTE_MS,
  parseDimension,
  parseFilter,
  parseInteger,
  parseMetric,
  parseRange,
  parseTime,
  previousRange,
} from './params';
export type { Granularity, QueryRange } from './params';
export { breakdown, changeIsGood, overview, series, windowStarts } from './queries';
export type { Breakdown, BreakdownRow, CombinationView, Overview, SeriesPoint, Tile } from './queries';
export { ViewIndex, viewCohortValue } from './view-index';
export type { ViewSearch, ViewSummary } from './view-index';
export { timelineOf } from './timeline';
export type { SpanKind, Timeline, TimelineEvent, TimelineSpan } from './timeline';
