import { Type, type Static } from '@sinclair/typebox';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Fraction = (description: string) => Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: `${description}; a fraction, null when the denominator is 0` });
const NullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const GRANULARITIES = ['minute', 'hour'] as const;
export const PANE_TIMINGS = ['early', 'on_time', 'late'] as const;

const MeanScoresSchema = Type.Object(
  {
    overall: NullableNumber('Mean overall score of the views that ended in the window'),
    playback_success: NullableNumber('Mean playback success score'),
    startup_time: NullableNumber('Mean startup time score'),
    smoothness: NullableNumber('Mean smoothness score'),
    video_quality: NullableNumber('Mean video quality score'),
  },
  { additionalProperties: false },
);

/**
 * The activity of one cohort in one window (docs/aggregates.md). Panes: `early` while the window
 * is open (every few seconds), `on_time` when the watermark passes its end, `late` when late
 * activity updated it; each pane holds the whole window so far (accumulating), so keep the
 * highest `pane_index` per window and cohort.
 */
export const CohortAggregateSchema = Type.Object(
  {
    v: Type.Literal(1),
    property_id: Type.String({ minLength: 1, description: 'The property (site or app) whose views these are: cohorts never mix properties' }),
    granularity: Type.Union(GRANULARITIES.map((g) => Type.Literal(g))),
    window_start: Type.Integer({ minimum: 0, description: 'Window start, server time ms (inclusive)' }),
    window_end: Type.Integer({ minimum: 0, description: 'Window end, ms (exclusive)' }),
    dimension: Type.String({ minLength: 1, description: 'all, cdn, asn, country, region, device_type, os, browser, player, player_version, title, stream_type, custom:<name>, or a combination joined by +' }),
    value: Type.String({ description: 'The cohort: a value of the dimension (parts joined by | for a combination), "all", "unknown" when absent, or "other" for the values beyond the top N' }),
    timing: Type.Union(PANE_TIMINGS.map((t) => Type.Literal(t))),
    pane_index: Type.Integer({ minimum: 0, description: 'Increases with every pane of the window and cohort' }),
    values_folded: Type.Optional(Type.Integer({ minimum: 1, description: 'For "other": how many values it holds' })),
    attempts: Count('Views started in the window (first snapshot)'),
    plays: Count('Views that showed a first frame in the window'),
    ended_plays: Count('Views that completed in the window'),
    concurrent_viewers: Count('Views seen playing or rebuffering in the window'),
    ebvs: Count('Exits before video start among the views that completed'),
    start_failures: Count('Video start failures (fatal error before the first frame)'),
    playback_failures: Count('Fatal, non-business errors'),
    ebvs_rate: Fraction('ebvs / attempts'),
    start_failure_rate: Fraction('start_failures / attempts'),
    playback_failure_rate_of_attempts: Fraction('playback_failures / attempts'),
    playback_failure_rate_of_ended_plays: Fraction('playback_failures / ended_plays'),
    startup_time_ms: Type.Object(
      {
        count: Count('Startup times in the sketch'),
        median: NullableNumber('Median, within 1% relative error'),
        p95: NullableNumber('95th percentile, within 1% relative error'),
        sketch: Type.String({ description: 'DDSketch (relative accuracy 0.01) as base64 protobuf, mergeable across windows and cohorts' }),
      },
      { additionalProperties: false },
    ),
    watch_time_ms: Type.Number({ minimum: 0 }),
    playing_time_ms: Type.Number({ minimum: 0 }),
    rebuffer_time_ms: Type.Number({ minimum: 0 }),
    rebuffer_count: Count('Stalls that started in the window'),
    rebuffer_percentage: Fraction('rebuffer time / watch time (Mux)'),
    rebuffering_ratio: Fraction('rebuffer time / (playing time + rebuffer time) (Conviva)'),
    weighted_average_bitrate_bps: NullableNumber('Bitrate weighted by playing time'),
    scored_views: Count('Views that ended in the window with an overall score'),
    score_version: Type.String(),
    mean_scores: MeanScoresSchema,
    overall_score_distribution: Type.Array(Count(''), { minItems: 10, maxItems: 10, description: 'Overall scores of the views that ended in the window, in bins [0,10), [10,20), ..., [90,100]' }),
  },
  { additionalProperties: false },
);
export type CohortAggregate = Static<typeof CohortAggregateSchema>;
