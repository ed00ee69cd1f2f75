/**
 * The wire format of `POST /v1/beacons` as the SDK writes it (libs/contracts' BeaconSchema,
 * PlayerEventSchema and ViewContextSchema; the SDK has no runtime dependency on them).
 */
import type { PlayerError, Rendition } from './types';

export type EventType =
  | 'viewstart'
  | 'play'
  | 'playing'
  | 'pause'
  | 'seeking'
  | 'seeked'
  | 'rebufferstart'
  | 'rebufferend'
  | 'renditionchange'
  | 'error'
  | 'ended'
  | 'heartbeat'
  | 'viewend'
  | 'videochange'
  | 'requestcompleted'
  | 'requestfailed'
  | 'adbreakstart'
  | 'adrequest'
  | 'adplay'
  | 'adplaying'
  | 'adended'
  | 'aderror'
  | 'adbreakend';

export interface WireRequest {
  url_host?: string;
  kind?: 'manifest' | 'media' | 'other';
  status?: number;
  bytes?: number;
  duration_ms?: number;
  ttfb_ms?: number;
  cdn?: string;
}

export interface WireEvent {
  seq: number;
  type: EventType;
  ts: number;
  playhead_ms: number;
  rendition?: Rendition;
  player_width?: number;
  player_height?: number;
  program_date_time?: number;
  error?: PlayerError;
  request?: WireRequest;
}

export interface WireContext {
  video_id?: string;
  video_title?: string;
  stream_type?: 'vod' | 'live';
  player_name?: string;
  player_version?: string;
  cdn?: string;
  viewer_id?: string;
  custom?: Record<string, string>;
}

export interface WireBeacon {
  v: 1;
  view_id: string;
  context?: WireContext;
  events: WireEvent[];
}

/** The events that go out at once (and are dropped last when the queue is full). */
export function isKey(event: WireEvent): boolean {
  const t = event.type;
  return (
    t === 'rebufferstart' ||
    t === 'rebufferend' ||
    t === 'viewend' ||
    t === 'videochange' ||
    t === 'adbreakstart' ||
    t === 'adbreakend' ||
    (t === 'error' && event.error?.fatal === true)
  );
}

/** The most events one beacon may hold (MAX_EVENTS_PER_BEACON of the contract). */
export const MAX_EVENTS_PER_BEACON = 500;
