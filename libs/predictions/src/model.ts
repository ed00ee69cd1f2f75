import type { PredictionContext, PredictionDimension, PredictionModel } from '@sightline/contracts';
import type { TrainingRecord } from './record';
import { addStats, EMPTY_STATS, F, statsOfOutcome, weightAt, type Stats } from './stats';

export interface ModelOptions {
  /** Statistics lose half their weight in this time, ms; 0 keeps them for ever. Default 30 minutes. */
  readonly halfLifeMs?: number;
  /** Values kept per dimension (the least-weighted one makes room for a new one). Default 500. */
  readonly maxValues?: number;
}

export const DEFAULT_HALF_LIFE_MS = 30 * 60_000;
export const DEFAULT_MAX_VALUES = 500;

export function emptyModel(options: ModelOptions = {}): PredictionModel {
  const halfLife = options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const maxValues = options.maxValues ?? DEFAULT_MAX_VALUES;
  if (!(halfLife >= 0)) throw new RangeError(`halfLifeMs must be 0 (no decay) or more, got ${halfLife}`);
  if (!Number.isInteger(maxValues) || maxValues < 1) throw new RangeError(`maxValues must be a positive integer, got ${maxValues}`);
  return { v: 1, half_life_ms: halfLife, max_values: maxValues, at: 0, views_learned: 0, global: EMPTY_STATS, dimensions: {} };
}

/** The value of each dimension a context names (`cdn+asn` when it names both). */
export function dimensionValues(context: PredictionContext): Partial<Record<PredictionDimension, string>> {
  const values: Partial<Record<PredictionDimension, string>> = {};
  if (context.device_type !== undefined) values.device_type = context.device_type;
  if (context.asn !== undefined) values.asn = String(context.asn);
  if (context.country !== undefined) values.country = context.country;
  if (context.cdn !== undefined) values.cdn = context.cdn;
  if (context.title !== undefined) values.title = context.title;
  if (context.stream_type !== undefined) values.stream_type = context.stream_type;
  if (context.cdn !== undefined && context.asn !== undefined) values['cdn+asn'] = `${context.cdn}|${context.asn}`;
  return values;
}

/** The least-weighted value of a dimension (ties: the first by name), to make room for another. */
function leastWeighted(values: Readonly<Record<string, Stats>>, at: number, halfLifeMs: number): string | undefined {
  let victim: string | undefined;
  let least = Number.POSITIVE_INFINITY;
  for (const [value, stats] of Object.entries(values)) {
    const w = weightAt(stats, at, halfLifeMs);
    if (w < least || (w === least && victim !== undefined && value < victim)) {
      least = w;
      victim = value;
    }
  }
  return victim;
}

/**
 * The model after learning one completed view at time `at` (ms; partition time in the service).
 * Pure: `model` is not changed, and the result shares every cohort the view is not in, so a
 * model held as keyed state or already emitted is safe. Same records in the same order give the
 * same JSON.
 */
export function learn(model: PredictionModel, record: TrainingRecord, at: number): PredictionModel {
  const h = model.half_life_ms;
  const view: Stats = statsOfOutcome(record.outcome).map((v, i) => (i === F.at ? at : v));
  const dimensions: Record<string, Record<string, Stats>> = { ...model.dimensions };
  for (const [dimension, value] of Object.entries(dimensionValues(record.context))) {
    const values: Record<string, Stats> = { ...dimensions[dimension] };
    if (values[value] === undefined && Object.keys(values).length >= model.max_values) {
      const victim = leastWeighted(values, Math.max(model.at, at), h);
      if (victim !== undefined) delete values[victim];
    }
    values[value] = values[value] ? addStats(values[value], view, h) : view;
    dimensions[dimension] = values;
  }
  return {
    ...model,
    at: Math.max(model.at, at),
    views_learned: model.views_learned + 1,
    global: addStats(model.global, view, h),
    dimensions,
  };
}

/**
 * One model from partial models (of the partitions of a property): statistics added, keys in a
 * canonical order, each dimension trimmed to `max_values` by weight. Learning the union of their
 * views gives the same statistics, up to rounding.
 */
export function mergeModels(models: readonly PredictionModel[]): PredictionModel {
  const [first, ...rest] = models;
  if (!first) return emptyModel();
  for (const m of rest) {
    if (m.half_life_ms !== first.half_life_ms) throw new RangeError(`cannot merge models with half-lives ${first.half_life_ms} and ${m.half_life_ms} ms`);
  }
  const h = first.half_life_ms;
  const at = Math.max(...models.map((m) => m.at));
  const sums = new Map<string, Map<string, Stats>>();
  for (const m of models) {
    for (const [dimension, values] of Object.entries(m.dimensions)) {
      const merged = sums.get(dimension) ?? new Map<string, Stats>();
      for (const [value, stats] of Object.entries(values)) merged.set(value, addStats(merged.get(value) ?? EMPTY_STATS, stats, h));
      sums.set(dimension, merged);
    }
  }
  const dimensions: Record<string, Record<string, Stats>> = {};
  for (const dimension of [...sums.keys()].sort()) {
    const entries = [...sums.get(dimension)!.entries()];
    const kept =
      entries.length > first.max_values
        ? entries.sort((a, b) => weightAt(b[1], at, h) - weightAt(a[1], at, h) || (a[0] < b[0] ? -1 : 1)).slice(0, first.max_values)
        : entries;
    dimensions[dimension] = Object.fromEntries(kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }
  return {
    v: 1,
    half_life_ms: h,
    max_values: first.max_values,
    at,
    views_learned: models.reduce((n, m) => n + m.views_learned, 0),
    global: models.reduce<Stats>((sum, m) => addStats(sum, m.global, h), EMPTY_STATS) as number[],
    dimensions: dimensions as PredictionModel['dimensions'],
  };
}
