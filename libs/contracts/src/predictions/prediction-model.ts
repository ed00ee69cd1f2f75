import { Type, type Static } from '@sinclair/typebox';

/** Version of the prediction model's statistics and formulas; part of every answer. */
export const PREDICTION_MODEL_VERSION = 'sightline-predict/1';

/**
 * Sufficient statistics of the views learned in one cohort, as a fixed-length array (compact
 * JSON, added component by component when partial models merge). The layout is
 * `PREDICTION_STAT_FIELDS`: index 0 is the time the sums are decayed to, the rest are sums.
 */
export const PREDICTION_STAT_FIELDS = [
  'at',
  'views',
  'exits_before_start',
  'started',
  'stalled',
  'stalls',
  'watch_minutes',
  'stall_sq_per_minute',
  'watch_minutes_sq',
  'startups',
  'log_startup_s',
  'log_startup_s_sq',
  'throughputs',
  'log_throughput_mbps',
  'log_throughput_mbps_sq',
  'bitrates',
  'log_bitrate_mbps',
] as const;

export const PredictionStatsSchema = Type.Array(Type.Number(), {
  minItems: PREDICTION_STAT_FIELDS.length,
  maxItems: PREDICTION_STAT_FIELDS.length,
  description: `Sums over the cohort's views, in the order ${PREDICTION_STAT_FIELDS.join(', ')}; decayed to "at" (ms)`,
});

export const PREDICTION_DIMENSIONS = ['device_type', 'asn', 'country', 'cdn', 'title', 'stream_type', 'cdn+asn'] as const;
export type PredictionDimension = (typeof PREDICTION_DIMENSIONS)[number];

/**
 * An online prediction model of one property: sufficient statistics for the whole property and
 * per value of each dimension. Two models (say of two partitions) merge by adding their
 * statistics; the JSON is plain and deterministic.
 */
export const PredictionModelSchema = Type.Object(
  {
    v: Type.Literal(1),
    half_life_ms: Type.Number({ minimum: 0, description: 'Statistics lose half their weight in this time; 0 keeps them for ever' }),
    max_values: Type.Integer({ minimum: 1, description: 'Values kept per dimension; the one with the least weight makes room for a new one' }),
    at: Type.Number({ minimum: 0, description: 'Latest time learned, ms' }),
    views_learned: Type.Integer({ minimum: 0, description: 'Views learned (not decayed)' }),
    global: PredictionStatsSchema,
    dimensions: Type.Record(Type.String(), Type.Record(Type.String(), PredictionStatsSchema), {
      description: `Per dimension (${PREDICTION_DIMENSIONS.join(', ')}), per value: statistics`,
    }),
  },
  { additionalProperties: false },
);
export type PredictionModel = Static<typeof PredictionModelSchema>;

/** A partition's partial model of a property, published when it changed (and hourly). */
export const PredictionModelSnapshotSchema = Type.Object(
  {
    v: Type.Literal(1),
    property_id: Type.String({ minLength: 1 }),
    partition: Type.Integer({ minimum: 0, description: 'Partition of the final scores this model learned from' }),
    model_version: Type.String({ description: `e.g. ${PREDICTION_MODEL_VERSION}` }),
    views_learned: Type.Integer({ minimum: 0 }),
    at: Type.Integer({ minimum: 0, description: 'Partition time of the snapshot, ms' }),
    model: PredictionModelSchema,
  },
  { additionalProperties: false },
);
export type PredictionModelSnapshot = Static<typeof PredictionModelSnapshotSchema>;
