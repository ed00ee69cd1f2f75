/**
 * What the SDK puts on the wire, made to fit the contract (libs/contracts: PlayerEventSchema,
 * ViewContextSchema): ingest refuses a beacon whose context does not fit and an event whose
 * fields do not, so values from the page and the player are trimmed, rounded or left out here.
 * Pure: no DOM.
 */
import type { PlayerError, Rendition, RequestReport, ViewMetadata } from './types';
import type { WireContext, WireRequest } from './wire';

// Ingest refuses strings with control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A string without control characters, at most `max` long; undefined when empty or not a string. */
export function text(value: unknown, max: number): string | undefined {
  const clean = typeof value === 'string' ? value.replace(CONTROL, '').slice(0, max) : '';
  return clean.length > 0 ? clean : undefined;
}

export const int = (value: number | undefined, max: number): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(Math.round(value), max) : undefined;

export function cleanRendition(r: Rendition): Rendition | undefined {
  const bitrate_bps = int(r?.bitrate_bps, 1e9);
  if (bitrate_bps === undefined) return undefined;
  const out: { -readonly [K in keyof Rendition]: Rendition[K] } = { bitrate_bps };
  const width = int(r.width, 16_384);
  const height = int(r.height, 16_384);
  const codec = text(r.codec, 64);
  if (width !== undefined) out.width = width;
  if (height !== undefined) out.height = height;
  if (codec) out.codec = codec;
  if (typeof r.fps === 'number' && r.fps > 0 && r.fps <= 1000) out.fps = r.fps;
  return out;
}

export function cleanError(e: PlayerError): PlayerError {
  const message = text(e.message, 1024);
  return {
    code: text(String(e.code), 256) ?? 'unknown',
    ...(message ? { message } : {}),
    fatal: e.fatal === true,
    ...(e.business ? { business: true } : {}),
  };
}

export function requestOf(report: RequestReport, cdn: string | undefined, base: string): WireRequest {
  const out: WireRequest = {};
  try {
    out.url_host = new URL(report.url, base).host.slice(0, 256);
  } catch {
    // An unreadable URL is sent without a host.
  }
  if (report.kind === 'manifest' || report.kind === 'media' || report.kind === 'other') out.kind = report.kind;
  const status = int(report.status, 999);
  const bytes = int(report.bytes, Number.MAX_SAFE_INTEGER);
  const duration = int(report.duration_ms, 1e9);
  const ttfb = int(report.ttfb_ms, 1e9);
  const via = text(report.cdn ?? cdn, 128);
  if (status !== undefined) out.status = status;
  if (bytes !== undefined) out.bytes = bytes;
  if (duration !== undefined) out.duration_ms = duration;
  if (ttfb !== undefined) out.ttfb_ms = ttfb;
  if (via) out.cdn = via;
  return out;
}

export const CUSTOM_KEY = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * The context of a view but the viewer id (hashed apart): the integrator's metadata, the player's
 * name and version, the CDN. Custom dimensions that do not fit are left out and named to `log`.
 */
export function viewContext(meta: ViewMetadata, player: { name?: string; version?: string }, cdn: string | undefined, log: (message: string) => void): WireContext {
  const context: WireContext = {};
  const set = (key: 'video_id' | 'video_title' | 'player_name' | 'player_version' | 'cdn', value: unknown) => {
    const v = text(value, 128);
    if (v) context[key] = v;
  };
  set('video_id', meta.video_id);
  set('video_title', meta.video_title);
  if (meta.stream_type === 'vod' || meta.stream_type === 'live') context.stream_type = meta.stream_type;
  set('player_name', player.name);
  set('player_version', player.version);
  set('cdn', meta.cdn ?? cdn);
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(meta.custom ?? {})) {
    if (CUSTOM_KEY.test(key) && typeof value === 'string' && Object.keys(custom).length < 10) custom[key] = text(value, 128) ?? '';
    else log(`custom dimension "${key}" left out (at most 10, keys ^[a-z][a-z0-9_]{0,31}$, string values)`);
  }
  if (Object.keys(custom).length > 0) context.custom = custom;
  return context;
}
