import { Kvm, type KV } from '@nats-io/kv';
import { AnomalyRuleSchema, compileValidator, ThresholdRuleSchema, type AlertRule } from '@sightline/contracts';
import { ruleProblems } from '@sightline/alert-rules';
import type { JetStreamConnection } from '@sightline/messaging';
import type { Logger } from '@sightline/runtime';

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
  private readonly rules = new Map<string, AlertRule>();

  private constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  static async open(connection: JetStreamConnection, namespace: string, seed: AlertRule[], logger: Logger): Promise<RuleStore> {
    const kv = await new Kvm(connection.nc).create(`${namespace}-alerting-rules`, { history: 5 });
    const store = new RuleStore(kv, logger);
    for (const rule of seed) await kv.create(rule.id, JSON.stringify(rule)).catch(() => undefined);
    await store.watch();
    return store;
  }

  get(id: string): AlertRule | undefined {
    return this.rules.get(id);
  }

  list(): AlertRule[] {
    return [...this.rules.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async put(rule: AlertRule): Promise<void> {
    await this.kv.put(rule.id, JSON.stringify(rule));
  }

  async remove(id: string): Promise<boolean> {
    if (!this.rules.has(id)) return false;
    await this.kv.delete(id);
    return true;
  }

  /** Loads every rule, then applies changes as they are written. */
  private async watch(): Promise<void> {
    const iterator = await this.kv.watch();
    let initialised: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (initialised = resolve));
    if ((await this.kv.status()).values === 0) initialised();
    void (async () => {
      for await (const entry of iterator) {
        if (entry.operation === 'PUT') {
          try {
            this.rules.set(entry.key, parseRule(entry.json()));
          } catch (error) {
            this.logger.warn({ rule: entry.key, err: (error as Error).message }, 'invalid alert rule ignored');
          }
        } else {
          this.rules.delete(entry.key);
        }
        if (entry.delta === 0) initialised();
      }
    })();
    await ready;
  }
}
