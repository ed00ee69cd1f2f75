import type { MetricInfo } from './api';

/** A metric's value as a tile or a table cell shows it. */
export function formatValue(value: number | null | undefined, kind: MetricInfo['kind'] | undefined): string {
  if (value === null || value === undefined) return '–';
  switch (kind) {
    case 'fraction':
      return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`;
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case 'bps':
      return value >= 1e6 ? `${(value / 1e6).toFixed(2)} Mb/s` : `${Math.round(value / 1000)} kb/s`;
    case 'score':
      return value.toFixed(1);
    default:
      return Math.round(value).toLocaleString('en');
  }
}

export function formatChange(change: number | null): string {
  if (change === null) return '';
  const sign = change > 0 ? '+' : '';
  return `${sign}${(change * 100).toFixed(1)}%`;
}

export function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function dateTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
