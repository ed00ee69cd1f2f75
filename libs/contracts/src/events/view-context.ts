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
    device_type: Type.Optional(Type.String({ maxLength: 64, description: 'desktop, mobile, tablet or tv, from the user agent' })),
    os: Type.Optional(Type.String({ maxLength: 64 })),
    os_version: Type.Optional(Type.String({ maxLength: 64 })),
    browser: Type.Optional(Type.String({ maxLength: 64 })),
    browser_version: Type.Optional(Type.String({ maxLength: 64 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2, from the client IP' })),
    region: Type.Optional(
      Type.String({ maxLength: 128, description: 'First-level subdivision (state, province, region) of the client IP, by name, e.g. "California"' }),
    ),
    asn: Type.Optional(Type.Integer({ minimum: 0, description: 'Autonomous system of the client IP' })),
    as_org: Type.Optional(Type.String({ maxLength: 128, description: 'Organisation of that autonomous system (the ISP)' })),
  },
  { additionalProperties: false },
);

export type Enrichment = Static<typeof EnrichmentSchema>;
