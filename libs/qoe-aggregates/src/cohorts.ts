import type { ViewActivity } from '@sightline/contracts';

/** The value of a view whose dimension is not known. */
const UNKNOWN = 'unknown';
/** The cohort of the values beyond the top N of a dimension. */
export const OTHER = 'other';
/** The one cohort of the dimension `all`. */
export const ALL = 'all';

type Extract = (a: Pick<ViewActivity, 'context' | 'client'>) => string | number | undefined;

/** The built-in dimensions and how a view's value of each is read. */
const DIMENSIONS: Readonly<Record<string, Extract>> = {
  cdn: (a) => a.context.cdn,
  asn: (a) => a.client?.asn,
  country: (a) => a.client?.country,
  region: (a) => (a.client?.region === undefined ? undefined : `${a.client.country ?? UNKNOWN}/${a.client.region}`),
  device_type: (a) => a.client?.device_type,
  os: (a) => a.client?.os,
  browser: (a) => a.client?.browser,
  player: (a) => a.context.player_name,
  player_version: (a) => (a.context.player_version === undefined ? undefined : `${a.context.player_name ?? UNKNOWN} ${a.context.player_version}`),
  title: (a) => a.context.video_title ?? a.context.video_id,
  stream_type: (a) => a.context.stream_type,
};

export interface CohortOptions {
  /** Combinations of built-in dimensions, each `a+b[+c]`. */
  readonly combinations: readonly string[];
  /** Custom dimensions to aggregate by name; `*` takes every custom dimension a view carries. */
  readonly customDimensions: readonly string[];
}

export class CohortConfigError extends Error {
  override readonly name = 'CohortConfigError';
}

/** Checks a combination list: every part a built-in dimension, at least two, no repeats. */
export function checkCombinations(combinations: readonly string[]): string[] {
  return combinations.map((combination) => {
    const parts = combination.split('+');
    if (parts.length < 2) throw new CohortConfigError(`combination "${combination}" needs at least two dimensions joined by +`);
    for (const part of parts) {
      if (!(part in DIMENSIONS)) throw new CohortConfigError(`combination "${combination}": "${part}" is not a dimension (one of ${Object.keys(DIMENSIONS).join(', ')})`);
    }
    if (new Set(parts).size !== parts.length) throw new CohortConfigError(`combination "${combination}" repeats a dimension`);
    return combination;
  });
}

const valueOf = (extract: Extract, a: Pick<ViewActivity, 'context' | 'client'>): string => {
  const value = extract(a);
  return value === undefined ? UNKNOWN : String(value);
};

/**
 * Every cohort a view belongs to, as `[dimension, value]`: `all`, each built-in dimension (the
 * value `unknown` when the view does not say, so each dimension's cohorts add up to `all`), the
 * configured custom dimensions (only when the view carries them) and the combinations.
 */
export function cohortsOf(a: Pick<ViewActivity, 'context' | 'client'>, options: CohortOptions): [string, string][] {
  const cohorts: [string, string][] = [[ALL, ALL]];
  for (const [dimension, extract] of Object.entries(DIMENSIONS)) cohorts.push([dimension, valueOf(extract, a)]);
  const custom = a.context.custom;
  if (custom) {
    const every = options.customDimensions.includes('*');
    for (const name of Object.keys(custom).sort()) {
      if (every || options.customDimensions.includes(name)) cohorts.push([`custom:${name}`, custom[name]!]);
    }
  }
  for (const combination of options.combinations) {
    cohorts.push([combination, combination.split('+').map((d) => valueOf(DIMENSIONS[d]!, a)).join('|')]);
  }
  return cohorts;
}
