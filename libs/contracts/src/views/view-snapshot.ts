import { Type, type Static } from '@sinclair/typebox';
import { ViewContextSchema } from '../events/view-context';

const Ms = (description: string) => Type.Number({ minimum: 0, description });
const NullableMs = (description: string) => Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description });

/** Per-view metrics as defined in docs/metrics.md#per-view-metrics. Durations are measured on the device clock. */
export const ViewMetricsSchema = Type.Object(
  {
    startup_time_ms: NullableMs('Play request to first frame; null until the first frame'),
    started: Type.Boolean({ description: 'A first frame was shown' }),
    exited_before_start: Type.Boolean({ description: 'Ended after a play request with no first frame and no fatal error (EBVS)' }),
    start_failed: Type.Boolean({ description: 'A fatal error before the first frame (VSF)' }),
    playback_failed: Type.Boolean({ description: 'A fatal, non-business error at any point' }),
    watch_time_ms: Ms('Playing + starting + rebuffering + seeking, paused time excluded'),
    playing_time_ms: Ms('Time in the playing state'),
    rebuffer_count: Type.Integer({ minimum: 0, description: 'Stalls after the first frame, seeks excluded' }),
    rebuffer_duration_ms: Ms('Total duration of those stalls'),
    rebuffer_percentage: Type.Number({ minimum: 0, description: 'rebuffer duration / watch time (Mux), a fraction' }),
    weighted_average_bitrate_bps: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    max_upscale: Type.Number({ minimum: 0, description: 'Largest upscale factor minus 1, a fraction' }),
    average_upscale: Type.Number({ minimum: 0, description: 'Time-weighted upscale factor minus 1, a fraction' }),
    // Added in contract 1.1; optional so that views published before stay valid.
    rebuffering_ratio: Type.Optional(Type.Number({ minimum: 0, description: 'Conviva: rebuffer duration / (playing time + rebuffer duration), a fraction' })),
    connection_induced_rebuffering_ratio: Type.Optional(
      Type.Number({ minimum: 0, description: 'Rebuffering outside seeks / (rebuffering + seek buffering + playing time), a fraction' }),
    ),
    rebuffer_frequency_per_minute: Type.Optional(Type.Number({ minimum: 0, description: 'Rebuffer count / watch time, per minute' })),
    seek_buffering_ms: Type.Optional(Ms('Time spent seeking: from seeking to playing again')),
    max_downscale: Type.Optional(Type.Number({ minimum: 0, description: 'Largest downscale, 1 - scale when the rendition is larger than the player, a fraction' })),
    average_downscale: Type.Optional(Type.Number({ minimum: 0, description: 'Time-weighted downscale while playing, a fraction' })),
    seek_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Seeks, a new one starting within 2 s of the last merged into it' })),
    seek_latency_ms: Type.Optional(NullableMs('Mean time from seeking to playing again; null with no completed seek')),
    upshift_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Rendition changes to a higher bitrate' })),
    downshift_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Rendition changes to a lower bitrate' })),
    inferred_stall_count: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Of the rebuffers, those inferred from a playhead that stopped while playing (players that send no rebuffer events)' }),
    ),
    live_latency_ms: Type.Optional(NullableMs('Live streams: mean of device time minus program date time over the events that carry one')),
    request_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Network requests reported (requestcompleted + requestfailed)' })),
    request_failed_count: Type.Optional(Type.Integer({ minimum: 0 })),
    request_throughput_bps: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'sum(bits) / sum(request time) of completed requests' })),
    request_ttfb_mean_ms: Type.Optional(NullableMs('Mean time to first byte of completed requests')),
    // Added in contract 1.4 (docs/metrics.md#ads).
    ad_break_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Ad breaks started' })),
    ad_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Ads that showed a first frame' })),
    ad_error_count: Type.Optional(Type.Integer({ minimum: 0, description: 'Ads that failed (aderror)' })),
    ad_startup_time_ms: Type.Optional(NullableMs('Mean time from adplay to the ad\'s first frame; null with no ad shown')),
    ad_time_ms: Type.Optional(Ms('Time inside ad breaks: left out of content startup, watch, playing and rebuffering time')),
    flags: Type.Optional(
      Type.Array(Type.Union([Type.Literal('clock_went_backwards'), Type.Literal('clock_jumped'), Type.Literal('rebuffer_longer_than_view')]), {
        description: 'Impossible or suspect values seen: the metrics they touch leave the suspect time out',
      }),
    ),
  },
  { additionalProperties: false },
);

export type ViewMetrics = Static<typeof ViewMetricsSchema>;

/** Who is watching from where, as ingest derived it from the view's first beacon (contract 1.2). */
export const ClientDimensionsSchema = Type.Object(
  {
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    region: Type.Optional(Type.String({ maxLength: 128 })),
    asn: Type.Optional(Type.Integer({ minimum: 0 })),
    as_org: Type.Optional(Type.String({ maxLength: 128 })),
    device_type: Type.Optional(Type.String({ maxLength: 64 })),
    os: Type.Optional(Type.String({ maxLength: 64 })),
    browser: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false, description: 'Cohort dimensions ingest derives from the request: location, network and device' },
);
export type ClientDimensions = Static<typeof ClientDimensionsSchema>;

export const VIEW_STATUSES = ['active', 'completed'] as const;

/** A view as the sessionizer knows it; published live (`active`) and once complete. */
export const ViewSnapshotSchema = Type.Object(
  {
    v: Type.Literal(1),
    view_id: Type.String({ minLength: 1 }),
    property_id: Type.String({ minLength: 1 }),
    status: Type.Union(VIEW_STATUSES.map((s) => Type.Literal(s))),
    /** Increases with every snapshot of the same view; consumers keep the highest. */
    revision: Type.Integer({ minimum: 1 }),
    context: ViewContextSchema,
    first_event_at: Type.Integer({ minimum: 0, description: 'Device time of the first event, ms' }),
    last_event_at: Type.Integer({ minimum: 0, description: 'Device time of the last applied event, ms' }),
    last_received_at: Type.Integer({ minimum: 0, description: 'Server time the last batch arrived, ms' }),
    last_seq: Type.Integer({ minimum: -1, description: 'Highest sequence number applied in order' }),
    end_reason: Type.Optional(Type.Union([Type.Literal('viewend'), Type.Literal('inactivity'), Type.Literal('videochange')])),
    metrics: ViewMetricsSchema,
    // Added in contract 1.2; absent from views published before and from views with no derived dimension.
    client: Type.Optional(ClientDimensionsSchema),
  },
  { additionalProperties: false },
);

export type ViewSnapshot = Static<typeof ViewSnapshotSchema>;
