import type { PlayerEvent, PlayerEventType, ViewContext } from '@sightline/contracts';
import type { CmcdListItem, CmcdReport, CmcdValue } from './cmcd-parser';

/** CMCD v2 player states (`sta`) as Sightline events. */
const STATE_EVENTS: Record<string, PlayerEventType> = {
  s: 'play',
  p: 'playing',
  k: 'seeking',
  r: 'rebufferstart',
  a: 'pause',
  e: 'ended',
  f: 'error',
  q: 'viewend',
  d: 'playerready',
};

/**
 * CMCD v2 event types (`e`) other than play-state changes (`ps`, mapped by `sta`). Every v2 report
 * carries the current `sta`, so only a `ps` report is read as a state change: a response-received
 * (`rr`) is a request, a bitrate change (`bc`) a rendition change, and the rest (playback rate,
 * backgrounded, mute, custom, ...) only keep the view open.
 */
const EVENT_TYPES: Record<string, PlayerEventType> = { e: 'error', t: 'heartbeat', c: 'videochange', rr: 'requestcompleted', bc: 'renditionchange' };

/** The list item a key is read from: the video one when items are typed by object type (`br=(2527;v 65;a)`), else the first. */
function listItem(items: readonly CmcdListItem[]): number | string | undefined {
  const typed = items.find((i) => typeof i === 'object' && (i.params.v === true || i.params.av === true)) ?? items[0];
  return typeof typed === 'object' ? typed.value : typed;
}

const first = (value: CmcdValue | undefined): number | string | undefined =>
  Array.isArray(value) ? listItem(value) : typeof value === 'boolean' ? undefined : value;
const num = (value: CmcdValue | undefined): number | undefined => {
  const v = first(value);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const str = (value: CmcdValue | undefined): string | undefined => {
  const v = first(value);
  return v === undefined ? undefined : String(v);
};

/** A request from request-mode keys, or from a response-received report (`rc` status, `ttfb` and `ttlb` in ms, `url`). */
function requestOf(report: CmcdReport): NonNullable<PlayerEvent['request']> {
  const status = num(report.rc);
  const ttfb = num(report.ttfb);
  const ttlb = num(report.ttlb);
  let host: string | undefined;
  try {
    host = str(report.url) ? new URL(str(report.url)!).host.slice(0, 256) : undefined;
  } catch {
    host = undefined;
  }
  return {
    kind: str(report.ot) === 'm' ? 'manifest' : 'media',
    ...(str(report.cdn) ? { cdn: str(report.cdn)!.slice(0, 128) } : {}),
    ...(host ? { url_host: host } : {}),
    ...(status !== undefined && Number.isInteger(status) && status >= 0 && status <= 999 ? { status } : {}),
    ...(ttfb !== undefined && ttfb >= 0 ? { ttfb_ms: ttfb } : {}),
    ...(ttlb !== undefined && ttlb >= 0 ? { duration_ms: ttlb } : {}),
  };
}

export interface MappedReport {
  readonly viewId: string;
  readonly event: PlayerEvent;
  readonly context: ViewContext;
}

/**
 * One CMCD report as a view event; `sid` is the view. The sequence number is `sn` when the player
 * sends it (CMCD v2); otherwise it is derived from the time in tenths of a second, so reports of
 * one view stay in order and two within 100 ms count as one.
 */
export function mapReport(report: CmcdReport, receivedAt: number): MappedReport | { error: string } {
  const viewId = str(report.sid);
  if (!viewId) return { error: 'sid (the view) is missing' };
  const ts = num(report.ts) ?? receivedAt;
  const sn = num(report.sn);
  const seq = sn !== undefined && Number.isInteger(sn) && sn >= 0 ? sn : Math.floor(ts / 100) % 2_147_483_647;
  const state = str(report.sta);
  const eventType = str(report.e);
  // Request mode (no `e`): a request, or the play state when the player sends one on it.
  const type: PlayerEventType = eventType
    ? ((eventType === 'ps' ? (state ? STATE_EVENTS[state] : undefined) : EVENT_TYPES[eventType]) ?? 'heartbeat')
    : ((state ? STATE_EVENTS[state] : undefined) ?? 'requestcompleted');
  const bitrateKbps = num(report.br);
  const errorCode = str(report.ec);
  // CMCD v2 `ltc`: live latency in ms; the sessionizer measures it as ts - program date time.
  const liveLatency = num(report.ltc);
  const event: PlayerEvent = {
    seq,
    type,
    ts,
    playhead_ms: num(report.pt) ?? 0,
    ...(bitrateKbps !== undefined ? { rendition: { bitrate_bps: Math.round(bitrateKbps * 1000) } } : {}),
    ...(liveLatency !== undefined && liveLatency >= 0 && liveLatency <= ts ? { program_date_time: Math.round(ts - liveLatency) } : {}),
    ...(type === 'error' ? { error: { code: (errorCode ?? 'cmcd').slice(0, 256), fatal: state === 'f' } } : {}),
    ...(type === 'requestcompleted' ? { request: requestOf(report) } : {}),
  };
  const streamType = str(report.st);
  const context: ViewContext = {
    ...(str(report.cid) ? { video_id: str(report.cid)!.slice(0, 128) } : {}),
    ...(str(report.cdn) ? { cdn: str(report.cdn)!.slice(0, 128) } : {}),
    ...(streamType === 'v' ? { stream_type: 'vod' as const } : streamType === 'l' ? { stream_type: 'live' as const } : {}),
  };
  return { viewId, event, context };
}
