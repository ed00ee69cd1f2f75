import { Type, type Static } from '@sinclair/typebox';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const SeveritySchema = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));
export type Severity = Static<typeof SeveritySchema>;

/** A cohort: dimension name to value; `{}` is everything. */
export const CohortSchema = Type.Record(Type.String(), Type.String());
export type Cohort = Static<typeof CohortSchema>;

export const AnomalySchema = Type.Object(
  {
    v: Type.Literal(1),
    anomaly_id: Type.String({ minLength: 1, description: 'Stable id: the same anomaly always has the same id' }),
    property_id: Type.String({ minLength: 1 }),
    detector: Type.String({ description: 'The rule or model that flagged it, with its version' }),
    metric: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    cohort: CohortSchema,
    observed: Type.Number(),
    expected: Type.Number({ description: 'Baseline or threshold the observation is compared with' }),
    severity: SeveritySchema,
    detected_at: Type.Integer({ minimum: 0, description: 'Event time of the evidence, ms' }),
    summary: Type.String(),
    // Added in contract 1.3 (cohort detectors); optional so that earlier anomalies stay valid.
    window_start: Type.Optional(Type.Integer({ minimum: 0, description: 'Start of the minute window the evidence is from, ms' })),
    viewers_affected: Type.Optional(Type.Integer({ minimum: 0, description: 'Viewers hurt: excess failures or exits, or the viewers of a stalling or slow cohort' })),
    probable_cause: Type.Optional(
      Type.Object(
        {
          dimension: Type.String({ description: 'Dimension of the blamed cohort (as in the aggregates): cdn, asn, country, player_version, cdn+asn, ... or all' }),
          value: Type.String(),
          explained_share: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'Share of the rise over all views this cohort accounts for' }),
          summary: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    evidence: Type.Object(
      {
        view_ids: Type.Array(Type.String(), { maxItems: 100, description: 'Views that show the anomaly (a sample)' }),
        details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Detector-specific figures' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Anomaly = Static<typeof AnomalySchema>;
