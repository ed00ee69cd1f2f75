import { Type, type Static } from '@sinclair/typebox';
import { ViewContextSchema } from '../events/view-context';
import { ScoresSchema } from '../scores/scored-view';
import { ClientDimensionsSchema } from '../views/view-snapshot';

const Flag = (description: string) => Type.Union([Type.Literal(0), Type.Literal(1)], { description });
const Ms = (description: string) => Type.Number({ minimum: 0, description });

/**
 * What one view did between two of its snapshots: the growth of its cumulative metrics and the
 * transitions it went through, at the server time of the later snapshot's last beacon. Summed
 * over the snapshots of a minute, these are that minute's activity (docs/aggregates.md).
 */
export const ViewActivitySchema = Type.Object(
  {
    v: Type.Literal(1),
    view_id: Type.String({ minLength: 1 }),
    property_id: Type.String({ minLength: 1 }),
    revision: Type.Integer({ minimum: 1, description: 'Revision of the snapshot this activity ends at' }),
    at: Type.Integer({ minimum: 0, description: 'Event time: server time the last beacon of that snapshot arrived, ms' }),
    context: ViewContextSchema,
    client: Type.Optional(ClientDimensionsSchema),
    attempt: Flag('1 on the first snapshot of the view: a play attempt'),
    play: Flag('1 when the first frame was shown since the previous snapshot'),
    startup_time_ms: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'Video startup time, with play = 1' }),
    start_failure: Flag('1 when a fatal error before the first frame happened (VSF)'),
    playback_failure: Flag('1 when a fatal, non-business error happened'),
    ended: Flag('1 when the view completed for the first time'),
    ebvs: Flag('1 when it completed as an exit before video start'),
    concurrent: Flag('1 the first time in this minute the view was seen playing or rebuffering'),
    watch_ms: Ms('Growth of watch time'),
    playing_ms: Ms('Growth of playing time'),
    rebuffer_ms: Ms('Growth of rebuffer duration'),
    rebuffer_count: Type.Integer({ minimum: 0, description: 'New stalls' }),
    bitrate_ms: Ms('Growth of bitrate x playing time, bps x ms (for the weighted average bitrate)'),
    bitrate_weight_ms: Ms('Growth of the playing time at a known bitrate, ms'),
    scores: Type.Optional(
      Type.Object({ ...ScoresSchema.properties, score_version: Type.String() }, { additionalProperties: false, description: 'Final scores, with ended = 1' }),
    ),
  },
  { additionalProperties: false },
);
export type ViewActivity = Static<typeof ViewActivitySchema>;
