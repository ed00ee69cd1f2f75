import { Type } from '@sinclair/typebox';
import { serviceConfigSchema } from '@sightline/service-kit';

export const SessionizerConfigSchema = serviceConfigSchema(8082, {
  SESSIONIZER_COMPLETION_SILENCE_MS: Type.Integer({ minimum: 1000, default: 60_000, description: 'ms without events before a view is complete' }),
  SESSIONIZER_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, default: 5000, description: 'ms between checks for silent views' }),
  SESSIONIZER_STATE_TTL_HOURS: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'hours a view state is kept after its last change' }),
});
