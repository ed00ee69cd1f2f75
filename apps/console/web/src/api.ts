// The console API as the dashboard calls it: the session cookie authenticates (the token never
// enters a URL or script), changes carry the X-Sightline-Console header, and an error answer
// becomes an ApiError with its code, message, parameter and field issues.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(method !== 'GET' ? { 'x-sightline-console': '1' } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(response.status, String(json.code ?? response.status), String(json.message ?? response.statusText), json.parameter as string | undefined, (json.issues as { path: string; message: string }[]) ?? []);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, params: Record<string, string | number | undefined> = {}) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
    const qs = query.toString();
    return call<T>('GET', qs ? `${path}?${qs}` : path);
  },
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  del: (path: string) => call<void>('DELETE', path),
};

export interface Figures {
  [metric: string]: number | null;
}
export interface Tile {
  metric: string;
  value: number | null;
  previous: number | null;
  change: number | null;
}
export interface MetricInfo {
  name: string;
  kind: 'count' | 'ms' | 'fraction' | 'bps' | 'score';
  label: string;
  better: 'higher' | 'lower';
}
export interface Meta {
  metrics: MetricInfo[];
  overview_metrics: string[];
  dimensions: string[];
  admin: boolean;
  history: boolean;
  streams_from: number;
  views_hours: number;
}
export interface Coverage {
  streams_from: number;
  history: boolean;
  incomplete: boolean;
}
export interface Overview {
  from: number;
  to: number;
  granularity: string;
  tiles: Tile[];
  figures: Figures;
  open_minute: { window_start: number; pane_index: number; concurrent_viewers: number; plays: number; attempts: number } | null;
  coverage: Coverage;
}
export interface Series {
  series: { metric: string; points: { t: number; value: number | null }[] }[];
}
export interface Row {
  value: string;
  figures: Figures;
  spark: (number | null)[];
  values_folded?: number;
}
export interface Breakdown {
  windows: number[];
  rows: Row[];
  other: Row | null;
  total: Row;
  metric: string;
}
export interface ViewBrief {
  view_id: string;
  status: string;
  viewer_id: string | null;
  title: string | null;
  cdn: string | null;
  player: string | null;
  country: string | null;
  device_type: string | null;
  first_received_at: number;
  last_received_at: number;
  startup_time_ms: number | null;
  watch_time_ms: number;
  rebuffer_count: number;
  rebuffer_percentage: number;
  weighted_average_bitrate_bps: number | null;
  exited_before_start: boolean;
  start_failed: boolean;
  playback_failed: boolean;
  overall_score: number | null;
  score_kind: string | null;
}
export interface Timeline {
  view: ViewBrief;
  metrics: Record<string, unknown>;
  score: { kind: string; scores: Record<string, number | null> } | null;
  duration_ms: number;
  start_ts: number;
  events: { seq: number; type: string; t: number; playhead_ms: number; error?: { code: string; message?: string; fatal: boolean } }[];
  spans: { kind: string; from: number; to: number | null }[];
  renditions: { t: number; bitrate_bps: number; width?: number; height?: number }[];
  errors: { t: number; code: string; message?: string; fatal: boolean }[];
  truncated: boolean;
}
export interface Alert {
  alert_id: string;
  rule_id: string;
  state: string;
  severity: string;
  metric: string;
  cohort: Record<string, string>;
  summary: string;
  at: number;
  fired_at?: number;
  acknowledged_by?: string;
  cause: { dimension: string; value: string; summary: string } | null;
}
export type Rule = Record<string, unknown> & { id: string; kind: string };
