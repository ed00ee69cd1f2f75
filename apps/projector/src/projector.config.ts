import { Type } from '@sinclair/typebox';
import type { Retention } from '@sightline/read-models';
import type { BackoffPolicy } from '@sightline/runtime';
import { serviceConfigSchema, type ServiceSettings } from '@sightline/service-kit';

const Days = (defaultDays: number, what: string) =>
  Type.Number({ exclusiveMinimum: 0, default: defaultDays, description: `days ${what} are kept (TTL index), a positive number` });

export const ProjectorConfigSchema = serviceConfigSchema(8086, {
  MONGO_URL: Type.Optional(
    Type.String({
      pattern: '^mongodb(\\+srv)?://\\S+$',
      description: 'mongodb:// or mongodb+srv:// URL; unset, the projector runs, reports its lag and writes nothing',
    }),
  ),
  MONGO_DB: Type.String({ default: 'sightline', pattern: '^[A-Za-z0-9_-]{1,63}$', description: 'database of the read models: letters, digits, _ and -' }),
  PROJECTOR_VIEWS_TTL_DAYS: Days(30, 'completed views'),
  PROJECTOR_MINUTE_TTL_DAYS: Days(14, 'minute metrics'),
  PROJECTOR_HOUR_TTL_DAYS: Days(400, 'hour metrics'),
  PROJECTOR_ALERTS_TTL_DAYS: Days(90, 'alerts'),
  PROJECTOR_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: 500, description: 'messages fetched and written per bulk write, 1-1000' }),
  PROJECTOR_RETRY_MAX_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'longest pause between two attempts at a failed write, ms (capped at half of SIGHTLINE_ACK_WAIT_MS)',
  }),
});

export type ProjectorConfig = ServiceSettings<typeof ProjectorConfigSchema>;

export function retentionOf(config: ProjectorConfig): Retention {
  return {
    viewsDays: config.PROJECTOR_VIEWS_TTL_DAYS,
    minuteMetricsDays: config.PROJECTOR_MINUTE_TTL_DAYS,
    hourMetricsDays: config.PROJECTOR_HOUR_TTL_DAYS,
    alertsDays: config.PROJECTOR_ALERTS_TTL_DAYS,
  };
}

/** Backoff between write attempts: from 250 ms, doubling, capped so a held batch never times out. */
export function retryPolicyOf(config: ProjectorConfig): BackoffPolicy {
  return { baseMs: 250, maxMs: Math.min(config.PROJECTOR_RETRY_MAX_MS, Math.floor(config.SIGHTLINE_ACK_WAIT_MS / 2)) };
}
