/**
 * hls.js adapter: `sightline.monitor(video, { key, endpoint, adapter: hlsjs(hls) })`.
 *
 * Typed structurally on the parts of hls.js 1.x it reads (checked against 1.7.4): the levels
 * (BANDWIDTH, RESOLUTION, CODECS, FRAME-RATE; the core matches the frame on screen against them:
 * FRAG_CHANGED lagged the screen, once by 2 s, and read the weighted bitrate 2-7% off), request stats (MANIFEST_LOADED, LEVEL_LOADED, FRAG_LOADED and failed loads in
 * ERROR), its own seeks (ERROR bufferSeekOverHole / bufferNudgeOnStall, the start-position seek
 * after the first fragment is buffered, the live-edge resync after a live playlist loads), and
 * its errors (ERROR: `details` is the code, `fatal` the flag).
 */
import type { AdapterSink, PlayerAdapter, PlayerError, Rendition, RequestReport } from '../types';
import { cdnOf, debug, guard, internalSeeks, report, span } from './shared/adapter-kit';

export interface HlsLevel {
  readonly bitrate: number;
  readonly width?: number;
  readonly height?: number;
  readonly videoCodec?: string;
  readonly frameRate?: number;
}

interface HlsStats {
  readonly loaded: number;
  readonly loading: { readonly start: number; readonly first: number; readonly end: number };
}

/** XMLHttpRequest (the default loader) or Response (the fetch loader). */
type NetworkDetails = { readonly status?: number; getResponseHeader?(name: string): string | null; headers?: { get(name: string): string | null } } | null | undefined;

interface HlsFragment {
  readonly type: string;
  readonly level: number;
  readonly url: string;
  readonly stats: HlsStats;
}

export interface HlsErrorData {
  readonly type: string;
  readonly details: string;
  readonly fatal: boolean;
  readonly error?: { readonly message?: string };
  readonly reason?: string;
  readonly url?: string;
  readonly frag?: HlsFragment;
  readonly context?: { readonly url?: string; readonly type?: string };
  readonly response?: { readonly code?: number };
  readonly networkDetails?: NetworkDetails;
  readonly stats?: HlsStats;
}

/** The parts of an `Hls` instance the adapter uses. */
export interface HlsLike {
  on(event: string, listener: (event: string, data: never) => void): void;
  off(event: string, listener: (event: string, data: never) => void): void;
  readonly levels?: readonly HlsLevel[] | null;
  readonly url?: string | null;
  readonly constructor: { readonly version?: string };
}

export function levelRendition(level: HlsLevel): Rendition {
  return {
    bitrate_bps: level.bitrate,
    ...(level.width ? { width: level.width } : {}),
    ...(level.height ? { height: level.height } : {}),
    ...(level.videoCodec ? { codec: level.videoCodec } : {}),
    ...(level.frameRate ? { fps: level.frameRate } : {}),
  };
}

/** ERROR details that mean hls.js has just moved the playhead itself. */
export const HLS_SEEK_DETAILS = ['bufferSeekOverHole', 'bufferNudgeOnStall'];

/** An hls.js ERROR as a player error; the ones hls.js recovers from are non-fatal warnings. */
export function hlsError(data: HlsErrorData): PlayerError {
  const message = data.error?.message ?? data.reason;
  return { code: data.details, fatal: data.fatal, ...(message ? { message: message.slice(0, 500) } : {}) };
}

function header(details: NetworkDetails, name: string): string | null | undefined {
  return details?.getResponseHeader ? details.getResponseHeader(name) : details?.headers?.get(name);
}

/** A finished load (its stats) or a failed one (`failed` with the status, when there is one). */
export function hlsRequest(kind: RequestReport['kind'], url: string, stats: HlsStats | undefined, details: NetworkDetails, failedStatus?: number | null): RequestReport {
  const status = failedStatus ?? details?.status;
  const ok = failedStatus === undefined && (!status || status < 400);
  const loading = stats?.loading;
  return report({
    kind,
    url,
    ok,
    status: status || undefined,
    bytes: ok && stats ? stats.loaded : undefined,
    duration_ms: span(loading?.start, loading?.end),
    ttfb_ms: span(loading?.start, loading?.first),
    cdn: details ? cdnOf((name) => header(details, name)) : undefined,
  });
}

export function hlsjs(hls: HlsLike): PlayerAdapter {
  return {
    name: 'hls.js',
    version: hls?.constructor?.version,
    attach(video: HTMLVideoElement, sink: AdapterSink) {
      if (typeof hls?.on !== 'function' || typeof hls.off !== 'function') {
        debug('hlsjs', 'not an hls.js instance: the adapter reports nothing');
        return () => undefined;
      }
      const seeks = internalSeeks(video, sink);
      let shown = false;
      const firstFrame = () => (shown = true);
      video.addEventListener('playing', firstFrame);
      const sent = (r: RequestReport) => {
        sink.request(r);
        if (r.cdn) sink.cdn(r.cdn);
      };
      const renditions = () => {
        if (hls.levels?.length) sink.renditions(hls.levels.map(levelRendition));
      };
      const handlers: Record<string, (event: string, data: never) => void> = {
        hlsManifestLoading: (_e, d: { url: string }) => sink.source?.(d.url),
        hlsManifestParsed: renditions,
        hlsLevelsUpdated: renditions,
        hlsManifestLoaded: (_e, d: { url: string; stats: HlsStats; networkDetails: NetworkDetails }) => sent(hlsRequest('manifest', d.url, d.stats, d.networkDetails)),
        hlsLevelLoaded: (_e, d: { details: { url: string; live: boolean }; stats: HlsStats; networkDetails: NetworkDetails }) => {
          sent(hlsRequest('manifest', d.details.url, d.stats, d.networkDetails));
          // A live join or resync moves the playhead to the live edge in this event.
          if (d.details.live) seeks.check();
        },
        hlsAudioTrackLoaded: (_e, d: { details: { url: string }; stats: HlsStats; networkDetails: NetworkDetails }) =>
          sent(hlsRequest('manifest', d.details.url, d.stats, d.networkDetails)),
        hlsFragLoaded: (_e, d: { frag: HlsFragment; networkDetails: NetworkDetails }) => sent(hlsRequest('media', d.frag.url, d.frag.stats, d.networkDetails)),
        // The start-position seek happens when the first fragment is buffered, before the first frame.
        hlsFragBuffered: () => {
          if (!shown) seeks.check();
        },
        hlsError: (_e, d: HlsErrorData) => {
          if (HLS_SEEK_DETAILS.includes(d.details) && !d.fatal) {
            seeks.check();
            return;
          }
          if (d.type === 'networkError') {
            const url = d.frag?.url ?? d.context?.url ?? d.url;
            const kind = d.frag ? 'media' : 'manifest';
            if (url) sent(hlsRequest(kind, url, d.frag?.stats ?? d.stats, d.networkDetails, d.response?.code ?? null));
          }
          sink.error(hlsError(d));
        },
      };
      const bound = Object.entries(handlers).map(([event, handler]) => [event, guard('hlsjs', handler)] as const);
      for (const [event, handler] of bound) hls.on(event, handler);
      renditions();
      // A source loaded before monitor() was called.
      if (hls.url) sink.source?.(hls.url);
      return () => {
        for (const [event, handler] of bound) hls.off(event, handler);
        video.removeEventListener('playing', firstFrame);
        seeks.stop();
      };
    },
  };
}
