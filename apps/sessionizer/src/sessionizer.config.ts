import { Type } from '@sinclair/typebox';
import { serviceConfigSchema, type ServiceSettings } from '@sightline/service-kit';

export const SessionizerConfigSchema = serviceConfigSchema(8082, {
  SESSIONIZER_COMPLETION_SILENCE_MS: Type.Integer({ minimum: 1000, default: 60_000, description: 'ms without events before a view is complete' }),
  SESSIONIZER_GAP_WAIT_MS: Type.Integer({
    minimum: 0,
    default: 10_000,
    description: 'ms events wait behind a gap in their view\'s sequence numbers before the gap is given up on',
  }),
  SESSIONIZER_UPDATE_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 2_000,
    description: 'least ms between two live updates of a view; first frame, stalls and fatal errors are published at once',
  }),
  SESSIONIZER_STATE_TTL_HOURS: Type.Number({
    exclusiveMinimum: 0,
    default: 1,
    description: 'hours a completed view is kept to recognise late events (finalization); later events start a new view',
  }),
});

/** The sessionizer's configuration, as its schema types it. */
export type SessionizerConfig = ServiceSettings<typeof SessionizerConfigSchema>;
