import { AnomalyRuleSchema, compileValidator, ThresholdRuleSchema, type Alert, type AlertRule, type ValidationIssue, type ValidationResult } from '@sightline/contracts';
import { ruleProblems } from './rules';

/**
 * Whether `next` replaces `current` as an alert's latest transition: the newest firing wins, and
 * an acknowledgement of a firing that has since resolved does not hide the resolution.
 */
export function supersedes(current: Alert | undefined, next: Alert): boolean {
  if (!current) return true;
  if ((current.fired_at ?? current.at) > (next.fired_at ?? next.at)) return false;
  return !(next.state === 'acknowledged' && current.state === 'resolved' && current.fired_at === next.fired_at);
}

/**
 * The `acknowledged` transition of a firing alert by `by`, published once per firing (its
 * transition id, the message id, is the same for a repeated acknowledgement); the alert itself
 * when already acknowledged; null when it is not firing.
 */
export function acknowledgement(alert: Alert, by: string, now: number): Alert | null {
  if (alert.state === 'acknowledged') return alert;
  if (alert.state !== 'firing') return null;
  const firedAt = alert.fired_at ?? alert.at;
  return { ...alert, state: 'acknowledged', at: now, acknowledged_by: by, transition_id: `${alert.alert_id}:acknowledged:${firedAt}`, notify: alert.notify ?? true };
}

const byKind = { threshold: compileValidator(ThresholdRuleSchema), anomaly: compileValidator(AnomalyRuleSchema) };

/**
 * An alert rule checked against the schema of its kind (so that every issue names its field by
 * JSON pointer) and then for sense (`ruleProblems`).
 */
export function validateRule(value: unknown): ValidationResult<AlertRule> {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind !== 'threshold' && kind !== 'anomaly') return { ok: false, issues: [{ path: '/kind', message: 'must be "threshold" or "anomaly"' }] };
  const checked = byKind[kind].validate(value, 20);
  if (!checked.ok) return checked;
  const problems = ruleProblems(checked.value);
  if (problems.length === 0) return checked;
  return { ok: false, issues: problems.map(issueOf) };
}

/** A problem `field.sub: what is wrong` as an issue addressed by JSON pointer (`/field/sub`). */
function issueOf(problem: string): ValidationIssue {
  const colon = problem.indexOf(':');
  return { path: `/${problem.slice(0, colon).replaceAll('.', '/')}`, message: problem.slice(colon + 1).trim() };
}
