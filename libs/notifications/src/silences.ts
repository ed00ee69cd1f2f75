import type { Alert, Silence } from '@sightline/contracts';

type Matcher = Silence['matchers'][number];

/** A silence is active from `starts_at` (inclusive) to `ends_at` (exclusive). */
export function isActive(silence: Silence, nowMs: number): boolean {
  return silence.starts_at <= nowMs && nowMs < silence.ends_at;
}

/**
 * Whether every matcher of the silence selects the alert. A matcher compares the named field
 * (`property_id`, `rule_id`, `metric`, `severity` or `cohort.<dimension>`; a dimension the
 * cohort lacks reads as "") with its value: equal, or, with `regex`, matching the whole value
 * (the expression is anchored at both ends).
 */
export function matchesAlert(silence: Silence, alert: Alert): boolean {
  return silence.matchers.every((matcher) => matcherSelects(matcher, fieldOf(alert, matcher.name)));
}

/**
 * When the notifications of `alert` may go out: undefined when no active silence selects it,
 * else the latest end among those that do. Silences that start later are not considered; a
 * caller holding a notification until then checks again at that time (chained silences).
 */
export function silencedUntil(silences: Iterable<Silence>, alert: Alert, nowMs: number): number | undefined {
  let until: number | undefined;
  for (const silence of silences) {
    if (isActive(silence, nowMs) && matchesAlert(silence, alert)) until = Math.max(until ?? 0, silence.ends_at);
  }
  return until;
}

function fieldOf(alert: Alert, name: string): string {
  if (name.startsWith('cohort.')) return alert.cohort[name.slice('cohort.'.length)] ?? '';
  switch (name) {
    case 'property_id':
      return alert.property_id;
    case 'rule_id':
      return alert.rule_id;
    case 'metric':
      return alert.metric;
    case 'severity':
      return alert.severity;
    default:
      return '';
  }
}

const compiled = new Map<string, RegExp>();

function matcherSelects(matcher: Matcher, value: string): boolean {
  if (!matcher.regex) return value === matcher.value;
  let regex = compiled.get(matcher.value);
  if (!regex) {
    regex = new RegExp(`^(?:${matcher.value})$`, 'u');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(matcher.value, regex);
  }
  return regex.test(value);
}
