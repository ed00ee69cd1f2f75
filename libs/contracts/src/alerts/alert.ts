import { Type, type Static } from '@sinclair/typebox';
import { CohortSchema, SeveritySchema } from '../anomalies/anomaly';

export const ALERT_STATES = ['firing', 'resolved'] as const;

export const AlertSchema = Type.Object(
  {
    v: Type.Literal(1),
    alert_id: Type.String({ minLength: 1, description: 'Stable id of the alert across its lifecycle' }),
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
  },
  { additionalProperties: false },
);

export type Alert = Static<typeof AlertSchema>;
