import type { PredictionContext, PredictionDimension, PredictionModel } from '@sightline/contracts';
import { dimensionValues } from './model';
import type { Quantity } from './quantities';
import { priorStrength, shrink, type Observed } from './shrinkage';
import { decayTo, EMPTY_STATS, F, type Stats } from './stats';

/**
 * Independent groups of dimensions. Within a group each level is shrunk towards the level before
 * it (an ASN towards its country, a title towards live or VOD); the groups' effects add on the
 * quantity's link scale. `cdn+asn` then corrects the CDN and network effects for their pair.
 */
const CHAINS: readonly (readonly PredictionDimension[])[] = [['country', 'asn'], ['cdn'], ['device_type'], ['stream_type', 'title']];
const PAIR: PredictionDimension = 'cdn+asn';
const PAIR_PARENTS = [0, 1];

/** Bounds of the prior strength of a dimension, in the quantity's weight (views, minutes). */
const STRENGTH = { min: 10, max: 500 };

interface Estimate {
  /** On the natural scale (a probability, a rate, a mean log). */
  readonly value: number;
  /** The weight (decayed) of the thinnest cohort named, or of the property when none is. */
  readonly n: number;
}

const strengths = new WeakMap<PredictionModel, Map<string, number>>();

function observed(stats: Stats, q: Quantity): Observed {
  return { weight: stats[q.weight]!, sum: stats[q.sum]! };
}

/** Statistics of a cohort, decayed to the model's time so that weights compare. */
function cohort(model: PredictionModel, dimension: string, value: string | undefined): Stats | undefined {
  const stats = value === undefined ? undefined : model.dimensions[dimension]?.[value];
  return stats && decayTo(stats, model.at, model.half_life_ms);
}

/**
 * The empirical-Bayes strength of a dimension for a quantity, computed once per model (models are
 * immutable). A `cdn+asn` pair is measured against what its CDN and ASN alone predict; other
 * dimensions against the property.
 */
function strengthOf(model: PredictionModel, dimension: string, q: Quantity, global: Stats, grand: number): number {
  let cache = strengths.get(model);
  if (!cache) strengths.set(model, (cache = new Map()));
  const key = `${q.name}/${dimension}`;
  let strength = cache.get(key);
  if (strength === undefined) {
    const cohorts = Object.entries(model.dimensions[dimension] ?? {}).map(([value, s]) => {
      const own = observed(decayTo(s, model.at, model.half_life_ms), q);
      if (dimension !== PAIR) return own;
      const [cdn, asn] = value.split('|');
      return { ...own, prior: estimate(model, { cdn: cdn!, asn: Number(asn) }, q, { pair: false }).value };
    });
    strength = priorStrength(cohorts, q.within(global, grand), STRENGTH);
    cache.set(key, strength);
  }
  return strength;
}

/** A quantity for a context: the property's estimate, moved by each group of dimensions the context names. */
export function estimate(model: PredictionModel, context: PredictionContext, q: Quantity, options: { pair: boolean } = { pair: true }): Estimate {
  const global = decayTo(model.global, model.at, model.half_life_ms);
  const base = shrink(observed(global, q), q.initial, q.initialStrength);
  const baseLink = q.link(base);
  const values = dimensionValues(context);
  let n = Number.POSITIVE_INFINITY;
  const level = (dimension: PredictionDimension, prior: number): number => {
    const stats = cohort(model, dimension, values[dimension]) ?? EMPTY_STATS;
    n = Math.min(n, stats[q.weight]!);
    return shrink(observed(stats, q), prior, strengthOf(model, dimension, q, global, base));
  };
  const effects = CHAINS.map((chain) => {
    let estimateOfChain = base;
    for (const dimension of chain) if (values[dimension] !== undefined) estimateOfChain = level(dimension, estimateOfChain);
    return q.link(estimateOfChain) - baseLink;
  });
  let link = baseLink + effects.reduce((a, b) => a + b, 0);
  if (options.pair && values[PAIR] !== undefined) {
    const prior = q.unlink(baseLink + PAIR_PARENTS.reduce((s, i) => s + effects[i]!, 0));
    link += q.link(level(PAIR, prior)) - q.link(prior);
  }
  return { value: q.unlink(link), n: Number.isFinite(n) ? n : global[q.weight]! };
}

/** Views (decayed) of the property and of each cohort the context names. */
export function evidenceOf(model: PredictionModel, context: PredictionContext): { views: number; cohorts: Record<string, number> } {
  const cohorts: Record<string, number> = {};
  for (const [dimension, value] of Object.entries(dimensionValues(context))) {
    cohorts[dimension] = round1(cohort(model, dimension, value)?.[F.views] ?? 0);
  }
  return { views: round1(decayTo(model.global, model.at, model.half_life_ms)[F.views]!), cohorts };
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * How many minutes of a view's own watching count as much as its cohort's stall rate: within- over
 * between-view variance of the rate (gamma-Poisson moments, from the property's statistics).
 */
export function viewStrengthMinutes(model: PredictionModel, bounds = { min: 0.5, max: 60 }): number {
  const g = decayTo(model.global, model.at, model.half_life_ms);
  const minutes = g[F.watch_minutes]!;
  const views = g[F.started]!;
  if (minutes <= 0 || views < 2) return bounds.max;
  const rate = g[F.stalls]! / minutes;
  const spread = g[F.stall_sq_per_minute]! - rate * rate * minutes;
  const scale = minutes - g[F.watch_minutes_sq]! / minutes;
  const between = (spread - (views - 1) * rate) / scale;
  if (!(scale > 0) || !(between > 0)) return bounds.max;
  return Math.min(bounds.max, Math.max(bounds.min, rate / between));
}
