import { Type, type Static } from '@sinclair/typebox';
import { compileValidator } from '@sightline/contracts';

export const INCIDENT_KINDS = ['cdn_slow', 'asn_outage', 'player_version_failing', 'origin_errors'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Which viewers an incident hits: every given dimension must match. */
export const IncidentCohortSchema = Type.Object(
  {
    cdn: Type.Optional(Type.String({ minLength: 1 })),
    asn: Type.Optional(Type.Integer({ minimum: 1 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    player_name: Type.Optional(Type.String({ minLength: 1 })),
    player_version: Type.Optional(Type.String({ minLength: 1 })),
    video_id: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type IncidentCohort = Static<typeof IncidentCohortSchema>;

export const IncidentSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    kind: Type.Union(INCIDENT_KINDS.map((k) => Type.Literal(k))),
    cohort: IncidentCohortSchema,
    start_s: Type.Number({ minimum: 0, description: 'Seconds after the fleet starts' }),
    end_s: Type.Number({ minimum: 0 }),
    intensity: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'How hard it hits, 0-1 (default 0.9): the share of throughput lost, or of requests failing' }),
    ),
  },
  { additionalProperties: false },
);
export type Incident = Static<typeof IncidentSchema>;

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }),
    seed: Type.Integer({ minimum: 0, maximum: 4_294_967_295 }),
    viewers: Type.Integer({ minimum: 1, maximum: 200_000, description: 'Concurrent viewers once ramped up' }),
    duration_s: Type.Number({ exclusiveMinimum: 0, description: 'How long viewers keep starting views' }),
    ramp_s: Type.Optional(Type.Number({ minimum: 0, description: 'Time to bring all viewers in (default 10)' })),
    watch_median_s: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Median time a viewer means to watch (default 120)' })),
    live_share: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of views on live channels (default 0.2)' })),
    beacon_interval_s: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'SDK flush interval (default 10)' })),
    incidents: Type.Optional(Type.Array(IncidentSchema)),
  },
  { additionalProperties: false },
);
/** A scenario as written; `parseScenario` fills the defaults. */
export type ScenarioFile = Static<typeof ScenarioSchema>;

export type Scenario = Required<ScenarioFile>;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const validator = compileValidator(ScenarioSchema);

/** What each kind needs in its cohort to mean anything. */
const REQUIRED: Record<IncidentKind, keyof IncidentCohort> = {
  cdn_slow: 'cdn',
  asn_outage: 'asn',
  player_version_failing: 'player_version',
  origin_errors: 'cdn',
};

/** Validates a parsed scenario file; every problem is named with its JSON pointer. */
export function parseScenario(value: unknown): Scenario {
  const checked = validator.validate(value);
  if (!checked.ok) throw new ScenarioError(`invalid scenario: ${checked.issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`);
  const scenario: Scenario = {
    ramp_s: 10,
    watch_median_s: 120,
    live_share: 0.2,
    beacon_interval_s: 10,
    ...checked.value,
    incidents: checked.value.incidents ?? [],
  };
  const ids = new Set<string>();
  scenario.incidents.forEach((incident, index) => {
    const at = `/incidents/${index}`;
    if (incident.end_s <= incident.start_s) throw new ScenarioError(`invalid scenario: ${at}/end_s must be after start_s (${incident.start_s})`);
    if (ids.has(incident.id)) throw new ScenarioError(`invalid scenario: ${at}/id "${incident.id}" is used twice`);
    ids.add(incident.id);
    const needed = REQUIRED[incident.kind];
    if (incident.cohort[needed] === undefined) throw new ScenarioError(`invalid scenario: ${at}/cohort needs "${needed}" for a ${incident.kind} incident`);
  });
  return scenario;
}
