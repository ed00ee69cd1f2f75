import { Type, type Static } from '@sinclair/typebox';
import { ViewContextSchema } from '../events/view-context';
import { ClientDimensionsSchema, ViewMetricsSchema } from '../views/view-snapshot';

const Score = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], { description });

/** Sub-scores and the overall score of a view (0-100, null where the formula gives none). */
export const ScoresSchema = Type.Object(
  {
    playback_success: Score('100 played without failure, 50 EBVS, 0 playback failure'),
    startup_time: Score('100 * 8 / (8 + startup seconds)'),
    smoothness: Score('Mean of the rebuffer-count and rebuffer-percentage terms'),
    video_quality: Score('100 * exp(-0.33 * (0.15 * max upscale + 0.85 * average upscale))'),
    overall: Score('Sightline overall experience score; see docs/qoe-score.md'),
  },
  { additionalProperties: false },
);

export type Scores = Static<typeof ScoresSchema>;

export const ScoredViewSchema = Type.Object(
  {
    v: Type.Literal(1),
    view_id: Type.String({ minLength: 1 }),
    property_id: Type.String({ minLength: 1 }),
    kind: Type.Union([Type.Literal('live'), Type.Literal('final')]),
    revision: Type.Integer({ minimum: 1, description: 'Revision of the view snapshot that was scored' }),
    score_version: Type.String({ description: 'Version of the published formulas, e.g. sightline-qoe/1' }),
    scored_at_event_time: Type.Integer({ minimum: 0, description: 'last_event_at of the scored snapshot' }),
    context: ViewContextSchema,
    metrics: ViewMetricsSchema,
    scores: ScoresSchema,
    // Added in contract 1.2: location, network and device of the view, as on its snapshot.
    client: Type.Optional(ClientDimensionsSchema),
  },
  { additionalProperties: false },
);

export type ScoredView = Static<typeof ScoredViewSchema>;
