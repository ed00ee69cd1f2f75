import { Type } from '@sinclair/typebox';
import { serviceConfigSchema, type ServiceSettings } from '@sightline/service-kit';

/**
 * Variables of notification delivery, to merge into the alerting service's configuration schema
 * (`serviceConfigSchema(8085, { ...own, ...NOTIFY_CONFIG })`).
 */
export const NOTIFY_CONFIG = {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://', description: 'redis:// or rediss:// URL of the notification queue and delivery log' }),
  ALERTING_ADMIN_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token of the /v1/channels, /v1/silences and /v1/deliveries API; the API is off when unset' }),
  ),
  NOTIFY_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 8, description: 'delivery attempts of a notification before it is dead-lettered' }),
  NOTIFY_BACKOFF_MS: Type.Integer({ minimum: 1, default: 1000, description: 'ceiling of the first retry delay, ms (doubles per attempt, full jitter)' }),
  NOTIFY_BACKOFF_MAX_MS: Type.Integer({ minimum: 1, default: 300_000, description: 'largest retry delay, ms' }),
  NOTIFY_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'how long a receiver has to answer, ms; no answer is a failure that is retried' }),
  NOTIFY_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'deliveries in progress at once per alerting instance' }),
  NOTIFY_LOCK_MS: Type.Integer({
    minimum: 1000,
    default: 30_000,
    description: 'ms a delivery stays claimed by an instance that stopped renewing it (crashed) before another retries it; above NOTIFY_TIMEOUT_MS',
  }),
  NOTIFY_ENQUEUE_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000, description: 'ms an enqueue waits for Redis before the alert is left unacknowledged for later' }),
  NOTIFY_KEEP_DAYS: Type.Number({
    exclusiveMinimum: 0,
    default: 7,
    description: 'days delivered jobs are kept: a replay of the alerts stream within this time enqueues nothing twice (keep >= stream retention)',
  }),
  NOTIFY_LOG_MAX_ENTRIES: Type.Integer({ minimum: 100, default: 10_000, description: 'entries the delivery log keeps (approximately)' }),
  PAGERDUTY_URL: Type.String({ pattern: '^https?://', default: 'https://events.pagerduty.com/v2/enqueue', description: 'PagerDuty Events API v2 endpoint of channels that name none' }),
};

/** Notification delivery run alone (`notify-standalone`): the service variables and NOTIFY_CONFIG. */
export const NotifyConfigSchema = serviceConfigSchema(8095, NOTIFY_CONFIG);

/** What notification delivery reads; the alerting service's settings include all of it. */
export type NotifyConfig = ServiceSettings<typeof NotifyConfigSchema>;
