import { Type, type Static } from '@sinclair/typebox';

const Dim = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 128, description }));

/** What a player says about the view: the cohort dimensions that do not change within a view. */
export const ViewContextSchema = Type.Object(
  {
    video_id: Dim('Stable id of the video'),
    video_title: Dim('Human title of the video'),
    stream_type: Type.Optional(Type.Union([Type.Literal('vod'), Type.Literal('live')])),
    player_name: Dim('Player software, e.g. hls.js'),
    player_version: Dim('Player software version'),
    cdn: Dim('CDN serving the media'),
    viewer_id: Dim('Anonymous viewer id'),
    custom: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), Type.String({ maxLength: 128 }), {
        maxProperties: 10,
        description: 'Custom dimensions, at most 10',
      }),
    ),
  },
  { additionalProperties: false },
);

export type ViewContext = Static<typeof ViewContextSchema>;

/** Dimensions ingest derives from the request (never sent by players). */
export const EnrichmentSchema = Type.Object(
  {
    received_at: Type.Integer({ minimum: 0, description: 'Server receive time, ms since the epoch' }),
    property_id: Type.String({ minLength: 1, maxLength: 64 }),
    ip_prefix: Type.Optional(Type.String({ description: 'Client IP truncated to /24 (IPv4) or /48 (IPv6)' })),
    user_agent: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

export type Enrichment = Static<typeof EnrichmentSchema>;
