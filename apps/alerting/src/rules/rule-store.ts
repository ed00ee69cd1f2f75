import type { AlertRule } from '@sightline/contracts';
import { validateRule } from '@sightline/alert-rules';
import { WatchedBucket, type BucketLogger, type DocumentValidator, type JetStreamConnection } from '@sightline/messaging';

/** An alert rule, checked by `validateRule` (libs/alert-rules), which the console shares. */
export const ruleValidator: DocumentValidator<AlertRule> = { validate: validateRule };

/**
 * Alert rules in the KV bucket `<ns>-alerting-rules`, watched: a rule written by any instance
 * (through the API) applies on every instance at once, without a restart.
 */
export type AlertRules = WatchedBucket<AlertRule>;

/** Injection token of the service's AlertRules. */
export const ALERT_RULES = Symbol('ALERT_RULES');

/** Opens the rules, writing `seed` rules whose id is not stored; resolves once every stored rule is loaded. */
export function openAlertRules(connection: JetStreamConnection, namespace: string, seed: readonly AlertRule[], logger: BucketLogger): Promise<AlertRules> {
  return WatchedBucket.open(connection, { bucket: `${namespace}-alerting-rules`, validator: ruleValidator, seed, logger });
}
