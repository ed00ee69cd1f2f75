import { Type, type Static } from '@sinclair/typebox';
import { CohortSchema, SeveritySchema } from '../anomalies/anomaly';

/** Published transitions of an alert (pending is internal). `acknowledged` added in contract 1.3. */
export const ALERT_STATES = ['firing', 'resolved', 'acknowledged'] as const;

export const AlertSchema = Type.Object(
  {
    v: Type.Literal(1),
    alert_id: Type.String({ minLength: 1, description: 'Stable id of the alert across its lifecycle: one per rule, property and cohort (the group)' }),
    property_id: Type.String({ minLength: 1 }),
    rule_id: Type.String({ minLength: 1 }),
    state: Type.Union(ALERT_STATES.map((s) => Type.Literal(s))),
    severity: SeveritySchema,
    metric: Type.String(),
    cohort: CohortSchema,
    summary: Type.String(),
    observed: Type.Number(),
    expected: Type.Number(),
    anomaly_id: Type.Optional(Type.String()),
    at: Type.Integer({ minimum: 0, description: 'Event time of the transition, ms' }),
    // Added in contract 1.3 (alert lifecycle); optional so that earlier alerts stay valid.
    transition_id: Type.Optional(Type.String({ description: 'Unique id of this transition (alert, state, firing): the idempotency key of its notifications' })),
    rule_kind: Type.Optional(Type.Union([Type.Literal('threshold'), Type.Literal('anomaly')])),
    fired_at: Type.Optional(Type.Integer({ minimum: 0, description: 'When the current firing began, ms' })),
    flapping: Type.Optional(Type.Boolean({ description: 'The alert has changed state too often lately: transitions are published but not notified until it settles' })),
    notify: Type.Optional(Type.Boolean({ description: 'Whether this transition is to be notified (false while flapping)' })),
    channels: Type.Optional(Type.Array(Type.String(), { description: 'Notification channels of the rule' })),
    acknowledged_by: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export type Alert = Static<typeof AlertSchema>;

const Id = (description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description });

/** Selects alerts: `property_id`, `rule_id`, `metric`, `severity` or `cohort.<dimension>`, equal to a value or matching a regular expression. */
export const SilenceMatcherSchema = Type.Object(
  {
    name: Type.String({ pattern: '^(property_id|rule_id|metric|severity|cohort\\.[a-z0-9_:.]+)$' }),
    value: Type.String({ maxLength: 256 }),
    regex: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Holds back the notifications of the alerts all its matchers select, from `starts_at` to `ends_at`. */
export const SilenceSchema = Type.Object(
  {
    id: Id('Silence id'),
    matchers: Type.Array(SilenceMatcherSchema, { minItems: 1, maxItems: 20 }),
    starts_at: Type.Integer({ minimum: 0, description: 'ms since the epoch' }),
    ends_at: Type.Integer({ minimum: 0, description: 'ms since the epoch, after starts_at' }),
    comment: Type.String({ maxLength: 1000 }),
    created_by: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type Silence = Static<typeof SilenceSchema>;

/** Where notifications go. */
export const ChannelSchema = Type.Object(
  {
    id: Id('Channel id, referenced by rules'),
    kind: Type.Union([Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('pagerduty')]),
    url: Type.String({ pattern: '^https?://', maxLength: 2048, description: 'Webhook or Slack incoming-webhook URL; PagerDuty Events v2 endpoint (default https://events.pagerduty.com/v2/enqueue)' }),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256, description: 'Webhook: HMAC-SHA256 key of the signature header' })),
    routing_key: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'PagerDuty: the integration (routing) key' })),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type Channel = Static<typeof ChannelSchema>;

/** Figures of a minute aggregate a threshold rule can watch. */
export const THRESHOLD_METRICS = [
  'attempts',
  'concurrent_viewers',
  'playback_failure_rate_of_attempts',
  'playback_failure_rate_of_ended_plays',
  'start_failure_rate',
  'ebvs_rate',
  'rebuffer_percentage',
  'rebuffering_ratio',
  'startup_time_median_ms',
  'startup_time_p95_ms',
  'weighted_average_bitrate_bps',
  'mean_overall_score',
] as const;

const RuleCommon = {
  id: Id('Rule id'),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  property_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only this property; all when absent' })),
  severity: SeveritySchema,
  channels: Type.Array(Id('Channel id'), { maxItems: 10, description: 'Channels notified of its transitions' }),
  enabled: Type.Boolean(),
};

/** Fires when a minute aggregate's figure crosses a value for `trigger_after_ms`; resolves after `resolve_after_ms` back. */
export const ThresholdRuleSchema = Type.Object(
  {
    ...RuleCommon,
    kind: Type.Literal('threshold'),
    metric: Type.Union(THRESHOLD_METRICS.map((m) => Type.Literal(m))),
    cohort: Type.Object(
      {
        dimension: Type.String({ minLength: 1, maxLength: 64, description: 'all, cdn, asn, ... as in the aggregates' }),
        value: Type.Optional(Type.String({ maxLength: 256, description: 'One value; absent: every value of the dimension, each its own alert' })),
      },
      { additionalProperties: false },
    ),
    comparison: Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<=')]),
    value: Type.Number(),
    trigger_after_ms: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
    resolve_after_ms: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
    min_attempts: Type.Optional(Type.Integer({ minimum: 0, description: 'No verdict on a window with fewer attempts' })),
  },
  { additionalProperties: false },
);

/** Turns anomalies at or above a severity (optionally of one metric, one cohort) into alerts. */
export const AnomalyRuleSchema = Type.Object(
  {
    ...RuleCommon,
    kind: Type.Literal('anomaly'),
    min_severity: SeveritySchema,
    metric: Type.Optional(Type.String({ maxLength: 64 })),
    cohort: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'The anomaly cohort must have these values' })),
    auto_resolve_ms: Type.Integer({ minimum: 1000, maximum: 86_400_000, description: 'Resolve when no anomaly renewed it for this long (anomalies of per-view detectors never resolve themselves)' }),
  },
  { additionalProperties: false },
);

export const AlertRuleSchema = Type.Union([ThresholdRuleSchema, AnomalyRuleSchema]);
export type ThresholdRule = Static<typeof ThresholdRuleSchema>;
export type AnomalyRule = Static<typeof AnomalyRuleSchema>;
export type AlertRule = Static<typeof AlertRuleSchema>;
