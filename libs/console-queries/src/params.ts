import { QueryError } from './query-error';
import { isMetric, type MetricName } from './metrics';

export type Granularity = 'minute' | 'hour';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Widest range per granularity: 24 h of minutes (1440 points), 31 days of hours (744). */
export const MAX_SPAN_MS: Record<Granularity, number> = { minute: 24 * HOUR_MS, hour: 31 * 24 * HOUR_MS };
/** Ranges up to this span default to minutes, longer ones to hours. */
export const AUTO_MINUTE_SPAN_MS = 6 * HOUR_MS;
/** Without `from`/`to`: the last hour. */
export const DEFAULT_SPAN_MS = HOUR_MS;

const BUILT_IN_DIMENSIONS = ['cdn', 'asn', 'country', 'region', 'device_type', 'os', 'browser', 'player', 'player_version', 'title', 'stream_type'] as const;
export const DIMENSIONS: readonly string[] = ['all', ...BUILT_IN_DIMENSIONS];

/** A validated time range: whole windows of its granularity, `from` inclusive, `to` exclusive. */
export interface QueryRange {
  readonly from: number;
  readonly to: number;
  readonly granularity: Granularity;
}

/** A time as ms since the epoch or an ISO 8601 date-time. */
export function parseTime(text: string, parameter: string): number {
  const trimmed = text.trim();
  const value = /^\d{1,16}$/.test(trimmed) ? Number(trimmed) : /^\d{4}-\d{2}-\d{2}T/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) throw new QueryError('INVALID_RANGE', `${parameter} must be ms since the epoch or an ISO 8601 date-time (2026-12-03T10:00:00Z), got "${text}"`, parameter);
  return value;
}

/**
 * The range of a query: `from`/`to` (default the last hour up to now), `granularity` (`minute`,
 * `hour`, or chosen from the span), aligned outwards to whole windows. `to` may not be more than two
 * minutes ahead of `now`; the span may not pass MAX_SPAN_MS of its granularity.
 */
export function parseRange(query: { from?: string; to?: string; granularity?: string }, now: number): QueryRange {
  const to = query.to === undefined ? Math.ceil(now / MINUTE_MS) * MINUTE_MS : parseTime(query.to, 'to');
  const from = query.from === undefined ? to - DEFAULT_SPAN_MS : parseTime(query.from, 'from');
  if (from >= to) throw new QueryError('INVALID_RANGE', `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`, 'from');
  if (to > now + 2 * MINUTE_MS) throw new QueryError('INVALID_RANGE', `to (${new Date(to).toISOString()}) is in the future`, 'to');
  if (query.granularity !== undefined && query.granularity !== 'minute' && query.granularity !== 'hour') {
    throw new QueryError('INVALID_PARAMETER', `granularity must be minute or hour, got "${query.granularity}"`, 'granularity');
  }
  const granularity: Granularity = (query.granularity as Granularity | undefined) ?? (to - from <= AUTO_MINUTE_SPAN_MS ? 'minute' : 'hour');
  const size = granularity === 'minute' ? MINUTE_MS : HOUR_MS;
  const aligned = { from: Math.floor(from / size) * size, to: Math.ceil(to / size) * size };
  if (aligned.to - aligned.from > MAX_SPAN_MS[granularity]) {
    const hint = granularity === 'minute' ? 'use granularity=hour or a shorter range' : 'use a shorter range';
    throw new QueryError('RANGE_TOO_WIDE', `${granularity === 'minute' ? 'a minute' : 'an hour'} query spans at most ${MAX_SPAN_MS[granularity] / HOUR_MS} h, this one ${((aligned.to - aligned.from) / HOUR_MS).toFixed(1)} h: ${hint}`, 'from');
  }
  return { ...aligned, granularity };
}

/** The range of the same length just before. */
export function previousRange(range: QueryRange): QueryRange {
  return { from: range.from - (range.to - range.from), to: range.from, granularity: range.granularity };
}

export function parseMetric(name: string | undefined, parameter = 'metric'): MetricName {
  if (name === undefined || name === '') throw new QueryError('INVALID_PARAMETER', `${parameter} is required`, parameter);
  if (!isMetric(name)) throw new QueryError('UNKNOWN_METRIC', `unknown metric "${name}"; see GET /v1/meta for the metrics`, parameter);
  return name;
}

/** A dimension of the aggregates: built-in, `custom:<name>`, or a combination of built-ins (`cdn+asn`). */
export function parseDimension(name: string | undefined, combinations: readonly string[], parameter = 'dimension'): string {
  if (name === undefined || name === '') throw new QueryError('INVALID_PARAMETER', `${parameter} is required`, parameter);
  if (DIMENSIONS.includes(name) || /^custom:[a-z][a-z0-9_]{0,31}$/.test(name) || combinations.includes(name)) return name;
  const known = [...DIMENSIONS, ...combinations, 'custom:<name>'].join(', ');
  throw new QueryError('UNKNOWN_DIMENSION', `unknown dimension "${name}" (one of ${known})`, parameter);
}

/** An integer parameter within bounds, or its default. */
export function parseInteger(text: string | undefined, parameter: string, bounds: { min: number; max: number; default: number }): number {
  if (text === undefined || text === '') return bounds.default;
  const value = Number(text);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new QueryError('INVALID_PARAMETER', `${parameter} must be an integer from ${bounds.min} to ${bounds.max}, got "${text}"`, parameter);
  }
  return value;
}

/** A cohort filter `dimension:value` (the value may hold colons). */
export function parseFilter(text: string, parameter = 'filter'): { dimension: string; value: string } {
  const at = text.indexOf(':', text.startsWith('custom:') ? 'custom:'.length : 0);
  if (at <= 0 || at === text.length - 1) throw new QueryError('INVALID_PARAMETER', `${parameter} must be dimension:value (e.g. country:NO), got "${text}"`, parameter);
  return { dimension: text.slice(0, at), value: text.slice(at + 1) };
}
