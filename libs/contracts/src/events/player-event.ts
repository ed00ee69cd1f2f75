import { Type, type Static } from '@sinclair/typebox';

/** Event names (Mux-compatible; CTA-2066 names in the docs). */
export const PLAYER_EVENT_TYPES = [
  'playerready',
  'viewstart',
  'play',
  'playing',
  'pause',
  'seeking',
  'seeked',
  'rebufferstart',
  'rebufferend',
  'renditionchange',
  'error',
  'ended',
  'heartbeat',
  'viewend',
  'videochange',
  'requestcompleted',
  'requestfailed',
  // Contract 1.4: ad breaks and the ads inside them (docs/metrics.md#ads, docs/sdk.md#ads).
  'adbreakstart',
  'adrequest',
  'adplay',
  'adplaying',
  'adended',
  'aderror',
  'adbreakend',
] as const;

export type PlayerEventType = (typeof PLAYER_EVENT_TYPES)[number];

const Millis = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });
const ShortText = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const PlayerErrorSchema = Type.Object(
  {
    code: ShortText('Player or platform error code'),
    message: Type.Optional(Type.String({ maxLength: 1024 })),
    fatal: Type.Boolean({ description: 'true ends playback (playbackFailed); false is a warning' }),
    business: Type.Optional(
      Type.Boolean({ description: 'A business exception (geo-block, entitlement) rather than a technical failure' }),
    ),
  },
  { additionalProperties: false },
);

export const RenditionSchema = Type.Object(
  {
    bitrate_bps: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    width: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_384 })),
    height: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_384 })),
    codec: Type.Optional(Type.String({ maxLength: 64 })),
    fps: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const RequestSchema = Type.Object(
  {
    url_host: Type.Optional(Type.String({ maxLength: 256 })),
    kind: Type.Optional(Type.Union([Type.Literal('manifest'), Type.Literal('media'), Type.Literal('other')])),
    status: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
    bytes: Type.Optional(Type.Integer({ minimum: 0 })),
    duration_ms: Type.Optional(Type.Number({ minimum: 0 })),
    ttfb_ms: Type.Optional(Type.Number({ minimum: 0 })),
    cdn: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);

/**
 * One player event. The always-sent fields (`seq`, `type`, `ts`, `playhead_ms`) are required;
 * everything else is delta-encoded: sent when it changes, carried forward by the sessionizer.
 */
export const PlayerEventSchema = Type.Object(
  {
    seq: Type.Integer({
      minimum: 0,
      maximum: 2_147_483_647,
      description:
        'Per-view sequence number from 0, +1 per event. Events are applied in this order; a number seen before is dropped (resends are safe); a missing one holds later events back up to 10 s (docs/sdk.md#every-event)',
    }),
    type: Type.Union(
      PLAYER_EVENT_TYPES.map((t) => Type.Literal(t)),
      {
        description:
          'Event name. Required in every view: viewstart, play (the play request), playing (first frame, and every resume), viewend or videochange. ' +
          'seeking/seeked only for viewer seeks, never player-internal jumps; rebufferstart/rebufferend for stalls after the first frame outside seeks, ' +
          'or none at all (stalls are then inferred from the playhead); heartbeat every 10 s while starting, playing or stalled (a view completes after 60 s without a beacon). ' +
          'Meanings and order: docs/sdk.md#event-types',
      },
    ),
    ts: { ...Millis, description: 'Device clock, integer ms since the epoch; durations are its differences, so a monotonic clock (performance.timeOrigin + performance.now())' },
    playhead_ms: Type.Number({ minimum: 0, maximum: 1e12, description: 'Playhead position, ms; a seeking event carries the seek target' }),
    rendition: Type.Optional({ ...RenditionSchema, description: 'Delta-encoded: the rendition on screen, sent when it changes and carried forward' }),
    player_width: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_384, description: 'Delta-encoded: player width in device pixels' })),
    player_height: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_384, description: 'Delta-encoded: player height in device pixels' })),
    program_date_time: Type.Optional({
      ...Millis,
      description: 'Live streams: program date time of the frame at the playhead, ms since the epoch (live latency = ts - this)',
    }),
    error: Type.Optional(PlayerErrorSchema),
    request: Type.Optional(RequestSchema),
  },
  { additionalProperties: false },
);

export type PlayerEvent = Static<typeof PlayerEventSchema>;
