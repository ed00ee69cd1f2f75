import { Type, type TSchema } from '@sinclair/typebox';
import { AlertRuleSchema, AlertSchema, AnomalySchema, PlayerErrorSchema, RenditionSchema, ScoresSchema, ViewMetricsSchema } from '@sightline/contracts';
import { METRIC_NAMES, QUERY_ERROR_CODES } from '@sightline/console-queries';

/** The schemas of the console API's answers: the OpenAPI document is generated from them. */
const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);
const Ms = (description: string) => Type.Integer({ minimum: 0, description });
const Metric = Type.Union(METRIC_NAMES.map((m) => Type.Literal(m)));
const FiguresSchema = Type.Object(Object.fromEntries(METRIC_NAMES.map((m) => [m, Nullable(Type.Number())])), { description: 'Every metric (GET /v1/meta), null where its denominator is 0' });
const CoverageSchema = Type.Object({
  streams_from: Ms('Windows from this time on come from the streams'),
  history: Type.Boolean({ description: 'Older windows come from MongoDB (MONGO_URL set)' }),
  incomplete: Type.Boolean({ description: 'Part of the range is older than the streams keep and there is no MongoDB to answer for it' }),
});
const Range = { from: Ms('Range start (inclusive), aligned to the granularity'), to: Ms('Range end (exclusive)'), granularity: Type.Union([Type.Literal('minute'), Type.Literal('hour')]) };
const CohortSchema = Type.Object({ dimension: Type.String(), value: Type.String() });

export const OverviewSchema = Type.Object({
  property_id: Type.String(),
  ...Range,
  previous: Type.Object({ from: Ms(''), to: Ms('') }),
  cohort: CohortSchema,
  tiles: Type.Array(Type.Object({ metric: Metric, value: Nullable(Type.Number()), previous: Nullable(Type.Number()), change: Nullable(Type.Number({ description: 'value / previous - 1' })) })),
  figures: FiguresSchema,
  previous_figures: FiguresSchema,
  open_minute: Nullable(Type.Object({ window_start: Ms(''), pane_index: Type.Integer(), timing: Type.String(), concurrent_viewers: Type.Integer(), plays: Type.Integer(), attempts: Type.Integer() })),
  coverage: CoverageSchema,
});

export const SeriesSchema = Type.Object({
  property_id: Type.String(),
  ...Range,
  cohort: CohortSchema,
  series: Type.Array(Type.Object({ metric: Metric, points: Type.Array(Type.Object({ t: Ms('Window start'), value: Nullable(Type.Number()) })) })),
  coverage: CoverageSchema,
});

const RowSchema = Type.Object({
  value: Type.String({ description: 'The cohort; "other" for the rest, "total" for all of them' }),
  figures: FiguresSchema,
  spark: Type.Array(Nullable(Type.Number()), { description: 'The sorted metric per window, aligned with windows' }),
  values_folded: Type.Optional(Type.Integer()),
});

export const BreakdownSchema = Type.Object({
  property_id: Type.String(),
  ...Range,
  dimension: Type.String(),
  filter: Nullable(Type.String()),
  metric: Metric,
  order: Type.Union([Type.Literal('desc'), Type.Literal('asc')]),
  windows: Type.Array(Ms('Window start')),
  rows: Type.Array(RowSchema),
  other: Nullable(RowSchema),
  total: RowSchema,
  distinct_values: Type.Integer(),
  coverage: CoverageSchema,
});

const ViewBriefSchema = Type.Object({
  view_id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('completed')]),
  viewer_id: Nullable(Type.String()),
  video_id: Nullable(Type.String()),
  title: Nullable(Type.String()),
  cdn: Nullable(Type.String()),
  player: Nullable(Type.String()),
  country: Nullable(Type.String()),
  asn: Nullable(Type.Integer()),
  device_type: Nullable(Type.String()),
  first_received_at: Ms(''),
  last_received_at: Ms(''),
  end_reason: Nullable(Type.String()),
  startup_time_ms: Nullable(Type.Number()),
  watch_time_ms: Type.Number(),
  rebuffer_count: Type.Integer(),
  rebuffer_percentage: Type.Number(),
  weighted_average_bitrate_bps: Nullable(Type.Number()),
  exited_before_start: Type.Boolean(),
  start_failed: Type.Boolean(),
  playback_failed: Type.Boolean(),
  overall_score: Nullable(Type.Number()),
  score_kind: Nullable(Type.Union([Type.Literal('live'), Type.Literal('final')])),
});

export const ViewsSchema = Type.Object({
  property_id: Type.String(),
  from: Ms(''),
  to: Ms(''),
  sort: Type.Union([Type.Literal('worst'), Type.Literal('recent')]),
  matched: Type.Integer(),
  views: Type.Array(ViewBriefSchema),
  kept_from: Ms('Views are kept in memory from this time on (CONSOLE_VIEWS_HOURS)'),
  incomplete: Type.Boolean(),
});

const ScoreSchema = Nullable(Type.Object({ kind: Type.Union([Type.Literal('live'), Type.Literal('final')]), revision: Type.Integer(), version: Type.String(), scores: ScoresSchema }));

export const ViewSchema = Type.Object({
  view_id: Type.String(),
  property_id: Type.String(),
  status: Type.String(),
  revision: Type.Integer(),
  context: Type.Record(Type.String(), Type.Unknown()),
  client: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  first_received_at: Ms(''),
  last_received_at: Ms(''),
  first_event_at: Ms(''),
  last_event_at: Ms(''),
  end_reason: Type.Optional(Type.String()),
  metrics: ViewMetricsSchema,
  score: ScoreSchema,
});

export const TimelineSchema = Type.Object({
  view: ViewBriefSchema,
  metrics: ViewMetricsSchema,
  score: ScoreSchema,
  view_id: Type.String(),
  start_ts: Ms('Device time of the first event'),
  duration_ms: Ms('From the first to the last event'),
  events: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      type: Type.String(),
      ts: Ms('Device time'),
      t: Ms('ms since the first event'),
      playhead_ms: Type.Number(),
      received_at: Ms('Server time of its beacon'),
      rendition: Type.Optional(RenditionSchema),
      error: Type.Optional(PlayerErrorSchema),
    }),
  ),
  spans: Type.Array(Type.Object({ kind: Type.Union(['startup', 'playing', 'stall', 'seek', 'pause', 'ad'].map((k) => Type.Literal(k))), from: Ms(''), to: Nullable(Ms('')) })),
  renditions: Type.Array(Type.Object({ t: Ms(''), bitrate_bps: Type.Integer(), width: Type.Optional(Type.Integer()), height: Type.Optional(Type.Integer()) })),
  errors: Type.Array(Type.Object({ t: Ms(''), code: Type.String(), message: Type.Optional(Type.String()), fatal: Type.Boolean() })),
  truncated: Type.Boolean({ description: 'The view\'s partition held more events in its time than one read takes' }),
});

export const AlertsSchema = Type.Object({ property_id: Type.String(), alerts: Type.Array(Type.Intersect([AlertSchema, Type.Object({ cause: Nullable(Type.Record(Type.String(), Type.Unknown())) })])) });
export const AnomaliesSchema = Type.Object({ property_id: Type.String(), from: Ms(''), to: Ms(''), anomalies: Type.Array(AnomalySchema) });
export const RulesSchema = Type.Object({ rules: Type.Array(AlertRuleSchema) });
export const SessionSchema = Type.Object({ admin: Type.Boolean(), properties: Type.Union([Type.Literal('*'), Type.Array(Type.String())]), via: Type.Optional(Type.String()) });
export { AlertSchema, AlertRuleSchema, QUERY_ERROR_CODES };
