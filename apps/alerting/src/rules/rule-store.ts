import { AnomalyRuleSchema, compileValidator, ThresholdRuleSchema, type AlertRule } from '@sightline/contracts';
import { ruleProblems } from '@sightline/alert-rules';
import type { JetStreamConnection } from '@sightline/messaging';
import type { Logger } from '@sightline/runtime';
import { SettingsStore, type ParsedDocument } from '../notify/settings-store';

const validators = { threshold: compileValidator(ThresholdRuleSchema), anomaly: compileValidator(AnomalyRuleSchema) };

export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** A rule from JSON, checked against its schema and for sense; RuleError names every problem. */
export function parseRule(value: unknown): AlertRule {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind !== 'threshold' && kind !== 'anomaly') {
    throw new RuleError('invalid rule: kind must be "threshold" or "anomaly"', [{ path: '/kind', message: 'must be "threshold" or "anomaly"' }]);
  }
  // Checked against the schema of its kind, so that every issue names its field.
  const checked = validators[kind].validate(value, 20);
  if (!checked.ok) throw new RuleError(`invalid rule: ${checked.issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`, checked.issues);
  const problems = ruleProblems(checked.value);
  if (problems.length > 0) throw new RuleError(`invalid rule: ${problems.join('; ')}`, problems.map((p) => ({ path: `/${p.split(':')[0]}`, message: p })));
  return checked.value;
}

/**
 * Alert rules in the KV bucket `<ns>-alerting-rules`, watched: a rule written by any instance
 * (through the API) applies on every instance at once, without a restart.
 */
export class RuleStore {
  private constructor(private readonly store: SettingsStore<AlertRule>) {}

  static async open(connection: JetStreamConnection, namespace: string, seed: AlertRule[], logger: Logger): Promise<RuleStore> {
    const parse = (value: unknown): ParsedDocument<AlertRule> => {
      try {
        return { ok: true, value: parseRule(value) };
      } catch (error) {
        return { ok: false, issue: { message: (error as Error).message } };
      }
    };
    return new RuleStore(await SettingsStore.open(connection, `${namespace}-alerting-rules`, parse, logger, seed));
  }

  get(id: string): AlertRule | undefined {
    return this.store.get(id);
  }

  list(): AlertRule[] {
    return this.store.list();
  }

  put(rule: AlertRule): Promise<void> {
    return this.store.put(rule);
  }

  remove(id: string): Promise<boolean> {
    return this.store.remove(id);
  }
}
