import { Type, type Static } from '@sinclair/typebox';
import { PlayerEventSchema } from './player-event';
import { EnrichmentSchema, ViewContextSchema } from './view-context';

export const MAX_EVENTS_PER_BEACON = 500;

const ViewId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]+$',
  description: 'Unique id of the view, chosen by the player',
});

/** What a player SDK POSTs to `/v1/beacons`: a batch of events of one view. */
export const BeaconSchema = Type.Object(
  {
    v: Type.Literal(1, { description: 'Beacon format version' }),
    view_id: ViewId,
    context: Type.Optional(ViewContextSchema),
    events: Type.Array(PlayerEventSchema, { minItems: 1, maxItems: MAX_EVENTS_PER_BEACON }),
  },
  { additionalProperties: false },
);

export type Beacon = Static<typeof BeaconSchema>;

/** What ingest publishes on `events` subjects: a beacon plus server-side enrichment. */
export const EventBatchSchema = Type.Object(
  {
    v: Type.Literal(1),
    view_id: ViewId,
    context: Type.Optional(ViewContextSchema),
    enrichment: EnrichmentSchema,
    events: Type.Array(PlayerEventSchema, { minItems: 1, maxItems: MAX_EVENTS_PER_BEACON }),
  },
  { additionalProperties: false },
);

export type EventBatch = Static<typeof EventBatchSchema>;
