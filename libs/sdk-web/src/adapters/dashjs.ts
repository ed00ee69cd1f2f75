/**
 * dash.js adapter: `sightline.monitor(video, { key, endpoint, adapter: dashjs(player) })`.
 *
 * Typed structurally on the parts of a dash.js 4/5 `MediaPlayerClass` it reads (checked against
 * 5.2.1): the video representations (`getRepresentationsByType`), the HTTP request metrics
 * (METRIC_ADDED `HttpList`: manifest and segment requests with status, timing, bytes and
 * headers), and ERROR. It reports no rendition on screen: QUALITY_CHANGE_RENDERED fires early
 * and for renditions never shown, so the core matches the frame on screen (`resize`) instead.
 *
 * dash.js announces no seek of its own (gap jumps, the stall fix, the jump to a period's end)
 * before it makes it: its own `seeking` listener fires PLAYBACK_SEEKING only for the seeks it did
 * not make. The adapter listens to the element's `seeking` after dash.js does (from
 * STREAM_INITIALIZED on, when dash.js's listeners are in place), and when dash.js said nothing
 * during that dispatch, calls `internalSeek()` there, within the dispatch of the `seeking` event
 * itself: the core decides a seek's kind once the event's listeners have run.
 */
import type { AdapterSink, PlayerAdapter, PlayerError, Rendition, RequestReport } from '../types';
import { cdnOf, debug, guard, headerBlock, report, span } from './shared/adapter-kit';

export interface DashRepresentation {
  readonly bandwidth: number;
  readonly width?: number;
  readonly height?: number;
  readonly codecs?: string | null;
  readonly frameRate?: number;
}

/** dash.js's HTTPRequest metric (ISO 23009-1 D.4.3). */
export interface DashHttpRequest {
  readonly type?: string | null;
  readonly url: string | null;
  readonly actualurl?: string | null;
  readonly responsecode: number | null;
  readonly trequest: Date | null;
  readonly tresponse: Date | null;
  readonly _tfinish: Date | null;
  readonly trace?: readonly { readonly b: readonly number[] }[];
  readonly _responseHeaders?: string | null;
}

export interface DashErrorEvent {
  readonly error: { readonly code?: number; readonly message?: string } | string;
  readonly event?: { readonly id?: string; readonly message?: string } | string;
}

/** The parts of a dash.js MediaPlayer the adapter uses. */
export interface DashPlayerLike {
  on(type: string, listener: (e: never) => void): void;
  off(type: string, listener: (e: never) => void): void;
  getVersion(): string;
  getRepresentationsByType?(type: 'video'): readonly DashRepresentation[];
  getSource?(): string | object | null;
  getActiveStream?(): unknown;
}

export function representationRendition(rep: DashRepresentation): Rendition {
  return {
    bitrate_bps: rep.bandwidth,
    ...(rep.width ? { width: rep.width } : {}),
    ...(rep.height ? { height: rep.height } : {}),
    ...(rep.codecs ? { codec: rep.codecs } : {}),
    ...(rep.frameRate ? { fps: rep.frameRate } : {}),
  };
}

/** dash.js error codes after which playback goes on (a segment, xlink, clock sync or subtitle that failed). */
const RECOVERABLE = [12, 16, 17, 21, 26, 27, 29, 33];

export function dashError(e: DashErrorEvent): PlayerError {
  const err = e.error;
  if (typeof err === 'object' && err !== null) {
    const code = err.code ?? 'unknown';
    return { code: `dashjs-${code}`, fatal: !RECOVERABLE.includes(Number(code)), ...(err.message ? { message: err.message.slice(0, 500) } : {}) };
  }
  const detail = typeof e.event === 'object' ? (e.event?.message ?? e.event?.id) : e.event;
  return { code: `dashjs-${err}`, fatal: true, ...(detail ? { message: String(detail).slice(0, 500) } : {}) };
}

const KINDS: Record<string, RequestReport['kind']> = { MPD: 'manifest', MediaSegment: 'media', InitializationSegment: 'media' };

/** One HttpList entry as a request report; undefined for the ones that are not the player's media (CMCD reports, licenses) and for redirect records. */
export function dashRequest(m: DashHttpRequest): RequestReport | undefined {
  const kind = KINDS[m.type ?? ''] ?? (m.type === 'CmcdEvent' || m.type === 'license' ? undefined : 'other');
  const url = m.actualurl ?? m.url;
  if (!kind || !url || (m.responsecode === null && m.actualurl === undefined && !m.trequest)) return undefined;
  const status = m.responsecode ?? undefined;
  const ok = !!status && status < 400;
  const start = m.trequest?.getTime();
  return report({
    kind,
    url,
    ok,
    status,
    bytes: ok && m.trace ? m.trace.reduce((sum, t) => sum + t.b.reduce((a, b) => a + b, 0), 0) : undefined,
    duration_ms: span(start, m._tfinish?.getTime()),
    ttfb_ms: span(start, m.tresponse?.getTime()),
    cdn: cdnOf(headerBlock(m._responseHeaders)),
  });
}

export function dashjs(player: DashPlayerLike): PlayerAdapter {
  let version: string | undefined;
  try {
    version = player.getVersion();
  } catch {
    version = undefined;
  }
  return {
    name: 'dash.js',
    version,
    attach(video: HTMLVideoElement, sink: AdapterSink) {
      if (typeof player?.on !== 'function' || typeof player.getRepresentationsByType !== 'function') {
        debug('dashjs', 'not a dash.js 4+ MediaPlayer: the adapter reports nothing');
        return () => undefined;
      }
      let viewerSeek = false;
      const renditions = () => {
        const reps = player.getRepresentationsByType?.('video') ?? [];
        if (reps.length) sink.renditions(reps.map(representationRendition));
      };
      let listening = false;
      const seeking = guard('dashjs', () => {
        if (!viewerSeek) sink.internalSeek();
        viewerSeek = false;
      });
      // After dash.js's own listener, so its PLAYBACK_SEEKING (or its silence) is known.
      const listen = () => {
        if (!listening) video.addEventListener('seeking', seeking);
        listening = true;
      };
      const handlers: Record<string, (e: never) => void> = {
        manifestLoadingStarted: (e: { request?: { url?: string } }) => {
          if (e.request?.url) sink.source?.(e.request.url);
        },
        streamInitialized: () => {
          listen();
          renditions();
        },
        periodSwitchCompleted: renditions,
        playbackSeeking: () => (viewerSeek = true),
        metricAdded: (e: { metric: string; value: DashHttpRequest }) => {
          if (e.metric !== 'HttpList') return;
          const r = dashRequest(e.value);
          if (!r) return;
          sink.request(r);
          if (r.cdn) sink.cdn(r.cdn);
        },
        error: (e: DashErrorEvent) => sink.error(dashError(e)),
      };
      const bound = Object.entries(handlers).map(([type, handler]) => [type, guard('dashjs', handler)] as const);
      for (const [type, handler] of bound) player.on(type, handler);
      if (video.readyState > 0 && player.getActiveStream?.()) listen();
      guard('dashjs', renditions)();
      // A source loaded before monitor() was called.
      guard('dashjs', () => {
        const src = player.getSource?.();
        if (typeof src === 'string') sink.source?.(src);
      })();
      return () => {
        for (const [type, handler] of bound) player.off(type, handler);
        video.removeEventListener('seeking', seeking);
      };
    },
  };
}
