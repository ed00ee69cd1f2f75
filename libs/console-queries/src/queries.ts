import type { CohortAggregate } from '@sightline/contracts';
import { METRICS, OVERVIEW_METRICS, type Figures, type MetricName } from './metrics';
import { HOUR_MS, MINUTE_MS, type QueryRange } from './params';
import { Totals } from './totals';

const windowSize = (range: QueryRange) => (range.granularity === 'minute' ? MINUTE_MS : HOUR_MS);

/** Window starts of a range, oldest first. */
export function windowStarts(range: QueryRange): number[] {
  const size = windowSize(range);
  const out: number[] = [];
  for (let t = range.from; t < range.to; t += size) out.push(t);
  return out;
}

const inRange = (range: QueryRange) => (w: CohortAggregate) => w.granularity === range.granularity && w.window_start >= range.from && w.window_start < range.to;

export interface Tile {
  readonly metric: MetricName;
  readonly value: number | null;
  readonly previous: number | null;
  /** value / previous - 1; null when either is null or previous is 0. */
  readonly change: number | null;
}

export interface Overview {
  readonly tiles: Tile[];
  readonly figures: Figures;
  readonly previous: Figures;
}

/** A range's figures beside those of the period before, from the windows of one cohort (usually `all`). */
export function overview(windows: readonly CohortAggregate[], range: QueryRange, previous: QueryRange): Overview {
  const now = new Totals();
  const before = new Totals();
  for (const w of windows) {
    if (inRange(range)(w)) now.add(w);
    else if (inRange(previous)(w)) before.add(w);
  }
  const figures = now.figures();
  const prior = before.figures();
  const tiles = OVERVIEW_METRICS.map((metric) => {
    const value = figures[metric];
    const old = prior[metric];
    return { metric, value, previous: old, change: value === null || old === null || old === 0 ? null : value / old - 1 };
  });
  return { tiles, figures, previous: prior };
}

export interface SeriesPoint {
  readonly t: number;
  readonly value: number | null;
}

/**
 * One metric per window of the range for one cohort, every window present: a window without
 * activity is 0 for counts and times, null for rates, percentiles, bitrate and scores.
 */
export function series(windows: readonly CohortAggregate[], range: QueryRange, metric: MetricName): SeriesPoint[] {
  const byStart = new Map<number, Totals>();
  for (const w of windows.filter(inRange(range))) {
    let totals = byStart.get(w.window_start);
    if (!totals) byStart.set(w.window_start, (totals = new Totals()));
    totals.add(w);
  }
  const empty = new Totals().figures()[metric];
  return windowStarts(range).map((t) => ({ t, value: byStart.get(t)?.figures()[metric] ?? empty }));
}

export interface BreakdownRow {
  readonly value: string;
  readonly figures: Figures;
  /** The sorted metric per window of the range (a sparkline), aligned with `Breakdown.windows`. */
  readonly spark: (number | null)[];
  /** For `other`: how many values it holds (at most; values folded by the scorer count once per window). */
  readonly values_folded?: number;
}

export interface Breakdown {
  readonly metric: MetricName;
  readonly order: 'desc' | 'asc';
  readonly windows: number[];
  readonly rows: BreakdownRow[];
  /** Every cohort beyond the top `limit`, and the scorer's own `other`, added up; null when there is none. */
  readonly other: BreakdownRow | null;
  /** All the cohorts added up: with no filter, the figures of `all`. */
  readonly total: BreakdownRow;
  /** Values counted per window (the top N + other of each window) before this ranking. */
  readonly distinct_values: number;
}

/** A combination dimension read for a breakdown filtered by another dimension. */
export interface CombinationView {
  /** Position of the broken-down dimension's part in the combined value. */
  readonly keep: number;
  /** Position and value of the filter's part. */
  readonly match: { readonly index: number; readonly value: string };
}

/**
 * The cohorts of one dimension over a range, ranked by `metric` (nulls last), the top `limit`
 * with their own row and the rest folded into `other`, so the rows and `other` add up to the
 * total. With `combination`, `windows` are of a combined dimension (`cdn+country`): only values
 * whose filter part matches are kept, named by their other part; the scorer's `other` of a
 * combination cannot be split by its parts and is left out (`total` then covers the matches).
 */
export function breakdown(
  windows: readonly CohortAggregate[],
  range: QueryRange,
  options: { metric: MetricName; order: 'desc' | 'asc'; limit: number; combination?: CombinationView },
): Breakdown {
  const starts = windowStarts(range);
  const cohorts = new Map<string, { totals: Totals; perWindow: Map<number, Totals>; folded: number }>();
  for (const w of windows.filter(inRange(range))) {
    let value = w.value;
    if (options.combination) {
      if (value === 'other') continue;
      const parts = value.split('|');
      if (parts[options.combination.match.index] !== options.combination.match.value) continue;
      value = parts[options.combination.keep] ?? value;
    }
    let cohort = cohorts.get(value);
    if (!cohort) cohorts.set(value, (cohort = { totals: new Totals(), perWindow: new Map(), folded: 0 }));
    cohort.totals.add(w);
    let inWindow = cohort.perWindow.get(w.window_start);
    if (!inWindow) cohort.perWindow.set(w.window_start, (inWindow = new Totals()));
    inWindow.add(w);
    cohort.folded = Math.max(cohort.folded, w.values_folded ?? 0);
  }
  const { metric } = options;
  const emptyValue = new Totals().figures()[metric];
  const sparkOf = (perWindow: Map<number, Totals>) => starts.map((t) => perWindow.get(t)?.figures()[metric] ?? emptyValue);
  const rowOf = (value: string, c: { totals: Totals; perWindow: Map<number, Totals>; folded: number }): BreakdownRow => ({
    value,
    figures: c.totals.figures(),
    spark: sparkOf(c.perWindow),
    ...(c.folded > 0 ? { values_folded: c.folded } : {}),
  });
  const sign = options.order === 'desc' ? -1 : 1;
  const ranked = [...cohorts].filter(([value]) => value !== 'other').map(([value, c]) => ({ value, c, m: c.totals.figures()[metric] }));
  ranked.sort((a, b) => {
    if (a.m === null || b.m === null) return a.m === b.m ? a.value.localeCompare(b.value) : a.m === null ? 1 : -1;
    return sign * (a.m - b.m) || a.value.localeCompare(b.value);
  });
  const top = ranked.slice(0, options.limit);
  const rest = [...ranked.slice(options.limit).map((r) => ({ value: r.value, c: r.c })), ...(cohorts.has('other') ? [{ value: 'other', c: cohorts.get('other')! }] : [])];
  const merge = (parts: { c: { totals: Totals; perWindow: Map<number, Totals> } }[], folded: number) => {
    const merged = { totals: new Totals(), perWindow: new Map<number, Totals>(), folded };
    for (const part of parts) {
      for (const [t, inWindow] of part.c.perWindow) {
        let target = merged.perWindow.get(t);
        if (!target) merged.perWindow.set(t, (target = new Totals()));
        target.merge(inWindow);
        merged.totals.merge(inWindow);
      }
    }
    return merged;
  };
  const restFolded = rest.reduce((n, r) => n + (r.value === 'other' ? Math.max(1, cohorts.get('other')!.folded) : 1), 0);
  const other = rest.length > 0 ? rowOf('other', merge(rest, restFolded)) : null;
  const total = rowOf('total', merge([...cohorts.values()].map((c) => ({ c })), 0));
  return { metric, order: options.order, windows: starts, rows: top.map((r) => rowOf(r.value, r.c)), other, total, distinct_values: cohorts.size };
}

/** Whether a metric's change is good (true), bad (false) or none (null). */
export function changeIsGood(metric: MetricName, change: number | null): boolean | null {
  if (change === null || change === 0) return null;
  return METRICS[metric].better === 'higher' ? change > 0 : change < 0;
}
