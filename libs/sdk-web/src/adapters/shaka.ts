/**
 * Shaka Player adapter: `sightline.monitor(video, { key, endpoint, adapter: shaka(player) })`.
 *
 * Typed structurally on the parts of `shaka.Player` it reads (checked against 5.2.12): the video
 * tracks (`getVideoTracks`, else the variant tracks' video bandwidth), what is on screen
 * (`mediaqualitychanged`, which Shaka fires only with `streaming.observeQualityChanges`, so the
 * adapter turns it on; not `adaptation`, the ABR decision; it came 230 ms after the frame
 * changed, so the core trusts the frame's size first), the networking engine's
 * `downloadcompleted` / `downloadfailed` events, its own seeks (`gapjumped`, and
 * `stalldetected` when its stall fix skips forward), and `error` (a `shaka.util.Error`:
 * severity 2 is critical, i.e. fatal). A `load()` that fails (a manifest 404) dispatches no
 * `error` event: its promise rejects, so the adapter reports the rejection of the loads made
 * while it is attached (wrapping the instance's `load`, restored on detach).
 */
import type { AdapterSink, PlayerAdapter, PlayerError, Rendition, RequestReport } from '../types';
import { cdnOf, debug, guard, internalSeeks, report } from './shared/adapter-kit';

export interface ShakaVideoTrack {
  readonly bandwidth: number;
  readonly videoBandwidth?: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly codecs?: string | null;
  readonly videoCodec?: string | null;
  readonly frameRate: number | null;
}

export interface ShakaMediaQuality {
  readonly bandwidth: number;
  readonly contentType: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly codecs: string;
  readonly frameRate: number | null;
}

export interface ShakaError {
  readonly severity: number;
  readonly category: number;
  readonly code: number;
  readonly data?: readonly unknown[];
}

interface ShakaRequest {
  readonly uris: readonly string[];
}

interface ShakaResponse {
  readonly uri: string;
  readonly status?: number;
  readonly data?: ArrayBuffer | ArrayBufferView;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeMs?: number;
  readonly fromCache?: boolean;
}

interface ShakaEvent {
  readonly mediaQuality?: ShakaMediaQuality;
  readonly detail?: ShakaError;
  readonly requestType?: number;
  readonly request?: ShakaRequest;
  readonly response?: ShakaResponse;
  readonly error?: ShakaError | null;
  readonly httpResponseCode?: number;
  readonly aborted?: boolean;
}

/** The parts of a `shaka.Player` the adapter uses. */
export interface ShakaPlayerLike {
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
  getVideoTracks?(): readonly ShakaVideoTrack[];
  getVariantTracks?(): readonly ShakaVideoTrack[];
  load?(...args: never[]): Promise<unknown>;
  configure?(name: string, value: unknown): boolean;
  readonly constructor: { readonly version?: string };
}

export function shakaRendition(t: ShakaVideoTrack | ShakaMediaQuality): Rendition {
  const codec = 'videoCodec' in t && t.videoCodec ? t.videoCodec : t.codecs;
  return {
    bitrate_bps: ('videoBandwidth' in t && t.videoBandwidth) || t.bandwidth,
    ...(t.width ? { width: t.width } : {}),
    ...(t.height ? { height: t.height } : {}),
    ...(codec ? { codec } : {}),
    ...(t.frameRate ? { fps: t.frameRate } : {}),
  };
}

/** Distinct video renditions of the tracks (variant tracks repeat a video stream per audio). */
export function shakaRenditions(tracks: readonly ShakaVideoTrack[]): Rendition[] {
  const seen = new Map<string, Rendition>();
  for (const t of tracks) {
    const r = shakaRendition(t);
    seen.set(`${r.bitrate_bps}/${r.width}/${r.height}`, r);
  }
  return [...seen.values()];
}

export function shakaError(e: ShakaError): PlayerError {
  const status = e.code === 1001 && typeof e.data?.[1] === 'number' ? ` (HTTP ${e.data[1]})` : '';
  return { code: `shaka-${e.code}`, fatal: e.severity === 2, message: `category ${e.category}${status}` };
}

/** Shaka's request types 0 and 1 are manifest and segment; others (license, app, timing) are "other". */
function kindOf(requestType: number | undefined): RequestReport['kind'] {
  return requestType === 0 ? 'manifest' : requestType === 1 ? 'media' : 'other';
}

export function shakaRequest(e: ShakaEvent): RequestReport | undefined {
  const response = e.response;
  if (response) {
    if (response.fromCache) return undefined;
    return report({
      kind: kindOf(e.requestType),
      url: response.uri,
      ok: true,
      status: response.status,
      bytes: response.data?.byteLength,
      duration_ms: response.timeMs === undefined ? undefined : Math.round(response.timeMs),
      cdn: cdnOf((name) => response.headers[name]),
    });
  }
  const url = e.request?.uris[0];
  // 7001: Shaka aborted the request itself (a switch, a seek), not a failure.
  if (!url || e.aborted || e.error?.code === 7001) return undefined;
  return report({ kind: kindOf(e.requestType), url, ok: false, status: e.httpResponseCode || undefined });
}

export function shaka(player: ShakaPlayerLike): PlayerAdapter {
  return {
    name: 'shaka-player',
    version: player?.constructor?.version,
    attach(video: HTMLVideoElement, sink: AdapterSink) {
      if (typeof player?.addEventListener !== 'function' || !(player.getVideoTracks || player.getVariantTracks)) {
        debug('shaka', 'not a shaka.Player: the adapter reports nothing');
        return () => undefined;
      }
      const seeks = internalSeeks(video, sink);
      // Taken at the next load (the observer is made when a manifest loads).
      guard('shaka', () => player.configure?.('streaming.observeQualityChanges', true))();
      const renditions = () => {
        const list = shakaRenditions(player.getVideoTracks?.() ?? player.getVariantTracks?.() ?? []);
        if (list.length) sink.renditions(list);
      };
      const requested = (e: ShakaEvent) => {
        const r = shakaRequest(e);
        if (!r) return;
        sink.request(r);
        if (r.cdn) sink.cdn(r.cdn);
      };
      const handlers: Record<string, (e: never) => void> = {
        loaded: renditions,
        trackschanged: renditions,
        mediaqualitychanged: (e: ShakaEvent) => {
          if (e.mediaQuality?.contentType === 'video') sink.rendition(shakaRendition(e.mediaQuality));
        },
        downloadcompleted: requested,
        downloadfailed: requested,
        gapjumped: seeks.check,
        stalldetected: seeks.check,
        error: (e: ShakaEvent) => {
          if (e.detail) sink.error(shakaError(e.detail));
        },
      };
      const bound = Object.entries(handlers).map(([type, handler]) => [type, guard('shaka', handler)] as const);
      for (const [type, handler] of bound) player.addEventListener(type, handler);
      guard('shaka', renditions)();
      const load = player.load;
      const failed = guard('shaka', (e: unknown) => {
        const err = e as Partial<ShakaError> | null;
        // 7000: a load interrupted by another load or by unload, not a failure.
        if (typeof err?.code === 'number' && err.code !== 7000 && typeof err.severity === 'number') sink.error(shakaError(err as ShakaError));
      });
      if (typeof load === 'function') {
        player.load = (...args: never[]) => {
          const uri: unknown = args[0];
          if (typeof uri === 'string') sink.source?.(uri);
          const loading = load.apply(player, args);
          loading.catch(failed);
          return loading;
        };
      }
      return () => {
        if (load) player.load = load;
        for (const [type, handler] of bound) player.removeEventListener(type, handler);
        seeks.stop();
      };
    },
  };
}
