import { defineErrors } from '@sightline/service-kit';

/**
 * The HTTP error codes of the alerting API (rules, alerts, channels, silences, deliveries), each
 * with its status: the common codes (INVALID_JSON, INVALID_REQUEST, UNAUTHORIZED,
 * ADMIN_DISABLED, NOT_FOUND, STORE_UNAVAILABLE among them) and these.
 */
export const alertingErrors = defineErrors({
  INVALID_RULE: { status: 400, message: 'the alert rule is not valid' },
  INVALID_CHANNEL: { status: 400, message: 'the channel is not valid' },
  INVALID_SILENCE: { status: 400, message: 'the silence is not valid' },
  INVALID_QUERY: { status: 400, message: 'a query parameter is not valid' },
  NOT_FIRING: { status: 409, message: 'only a firing alert can be acknowledged' },
});
