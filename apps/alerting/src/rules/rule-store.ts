import { AnomalyRuleSchema, compileValidator, ThresholdRuleSchema, type AlertRule, type ValidationIssue, type ValidationResult } from '@sightline/contracts';
import { ruleProblems } from '@sightline/alert-rules';
import { WatchedBucket, type BucketLogger, type DocumentValidator, type JetStreamConnection } from '@sightline/messaging';

const byKind = { threshold: compileValidator(ThresholdRuleSchema), anomaly: compileValidator(AnomalyRuleSchema) };

/**
 * An alert rule, checked against the schema of its kind (so that every issue names its field)
 * and then for sense (`ruleProblems`).
 */
export const ruleValidator: DocumentValidator<AlertRule> = {
  validate(value): ValidationResult<AlertRule> {
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind !== 'threshold' && kind !== 'anomaly') return { ok: false, issues: [{ path: '/kind', message: 'must be "threshold" or "anomaly"' }] };
    const checked = byKind[kind].validate(value, 20);
    if (!checked.ok) return checked;
    const problems = ruleProblems(checked.value);
    if (problems.length === 0) return checked;
    return { ok: false, issues: problems.map(issueOf) };
  },
};

/** A problem `field.sub: what is wrong` as an issue addressed by JSON pointer (`/field/sub`). */
function issueOf(problem: string): ValidationIssue {
  const colon = problem.indexOf(':');
  return { path: `/${problem.slice(0, colon).replaceAll('.', '/')}`, message: problem.slice(colon + 1).trim() };
}

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
