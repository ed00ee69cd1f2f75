import { Type, type Static } from '@sinclair/typebox';

const Dim = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 128, description }));

/** What is known of a view before it starts: the dimensions the predictions are conditioned on. Every one is optional. */
export const PredictionContextSchema = Type.Object(
  {
    device_type: Dim('desktop, mobile, tablet or tv'),
    asn: Type.Optional(Type.Integer({ minimum: 0, description: 'Autonomous system of the viewer' })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })),
    cdn: Dim('CDN that will serve the media'),
    title: Dim('Video title, else its id (as in the title cohorts)'),
    stream_type: Type.Optional(Type.Union([Type.Literal('vod'), Type.Literal('live')])),
  },
  { additionalProperties: false },
);
export type PredictionContext = Static<typeof PredictionContextSchema>;

/** One predicted figure with the evidence behind it. */
const Predicted = (description: string, value = Type.Number({ minimum: 0 })) =>
  Type.Object(
    {
      value,
      n: Type.Number({ minimum: 0, description: 'Views (decayed) behind the estimate in the thinnest cohort of the request' }),
    },
    { additionalProperties: false, description },
  );
const Risk = (description: string) => Predicted(description, Type.Number({ minimum: 0, maximum: 1 }));

/** Views (decayed) the model has learned, overall and in each cohort of the request. */
export const PredictionEvidenceSchema = Type.Object(
  {
    views: Type.Number({ minimum: 0, description: 'All views of the property' }),
    cohorts: Type.Record(Type.String(), Type.Number({ minimum: 0 }), { description: 'Per dimension of the request (and cdn+asn): views with that value' }),
  },
  { additionalProperties: false },
);

/** `{ns}.v1.predictions.request.start`: predictions for a view about to start. */
export const StartPredictionRequestSchema = Type.Object(
  {
    v: Type.Optional(Type.Literal(1)),
    property_id: Type.String({ minLength: 1, maxLength: 64 }),
    context: PredictionContextSchema,
  },
  { additionalProperties: false },
);
export type StartPredictionRequest = Static<typeof StartPredictionRequestSchema>;

export const StartPredictionSchema = Type.Object(
  {
    v: Type.Literal(1),
    property_id: Type.String(),
    model_version: Type.String(),
    model_at: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Latest time the model learned, ms; null before it has learned any view' }),
    start_bitrate_bps: Predicted('Recommended start bitrate: a safety share of the cohort geometric-mean request throughput'),
    startup_time_ms: Predicted('Expected startup time: exp of the cohort mean log startup time (a median)'),
    exit_before_start_risk: Risk('Probability that the view ends before its first frame (EBVS)'),
    stall_risk: Risk('Probability that the view, once started, stalls at least once'),
    evidence: PredictionEvidenceSchema,
  },
  { additionalProperties: false },
);
export type StartPrediction = Static<typeof StartPredictionSchema>;

/** What a view in progress has done so far. */
export const ViewProgressSchema = Type.Object(
  {
    watch_time_ms: Type.Number({ minimum: 0 }),
    rebuffer_count: Type.Integer({ minimum: 0 }),
    rebuffer_duration_ms: Type.Optional(Type.Number({ minimum: 0 })),
    bitrate_bps: Type.Optional(Type.Number({ minimum: 0, description: 'Current bitrate' })),
  },
  { additionalProperties: false },
);
export type ViewProgress = Static<typeof ViewProgressSchema>;

/** `{ns}.v1.predictions.request.progress`: the risk that a view in progress stalls soon. */
export const ProgressPredictionRequestSchema = Type.Object(
  {
    v: Type.Optional(Type.Literal(1)),
    property_id: Type.String({ minLength: 1, maxLength: 64 }),
    context: PredictionContextSchema,
    progress: ViewProgressSchema,
    horizon_ms: Type.Optional(Type.Integer({ minimum: 1000, maximum: 600_000, description: 'How soon, ms (default 30000)' })),
  },
  { additionalProperties: false },
);
export type ProgressPredictionRequest = Static<typeof ProgressPredictionRequestSchema>;

export const ProgressPredictionSchema = Type.Object(
  {
    v: Type.Literal(1),
    property_id: Type.String(),
    model_version: Type.String(),
    model_at: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    horizon_ms: Type.Integer({ minimum: 1 }),
    stall_soon_risk: Risk('Probability of a stall within horizon_ms of watch time'),
    stall_rate_per_minute: Type.Object(
      {
        cohort: Type.Number({ minimum: 0, description: 'Stalls per watch minute expected in the cohort' }),
        view: Type.Number({ minimum: 0, description: 'The cohort rate updated with the stalls of the view so far' }),
      },
      { additionalProperties: false },
    ),
    evidence: PredictionEvidenceSchema,
  },
  { additionalProperties: false },
);
export type ProgressPrediction = Static<typeof ProgressPredictionSchema>;

export const PREDICTION_ERROR_CODES = ['INVALID_JSON', 'INVALID_REQUEST', 'INTERNAL'] as const;

/** The reply to a request that could not be answered. */
export const PredictionErrorSchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Union(PREDICTION_ERROR_CODES.map((c) => Type.Literal(c))),
        message: Type.String(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PredictionError = Static<typeof PredictionErrorSchema>;
