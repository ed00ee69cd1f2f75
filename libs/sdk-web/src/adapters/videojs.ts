/**
 * video.js adapter: `sightline.monitor(player.tech(true).el(), { key, endpoint, adapter: videojs(player) })`
 * (the core watches the tech's `<video>` element).
 *
 * Typed structurally on the parts of a video.js 7/8 Player it reads (checked against 8.24.1 and
 * its bundled VHS): renditions from `qualityLevels()` or VHS's `representations()`, VHS requests
 * through its response hooks (`tech.vhs.xhr.onResponse`), VHS's own seeks (the tech's `usage`
 * events vhs-gap-skip, vhs-unknown-waiting, vhs-live-resync, vhs-video-underflow, each right
 * after VHS set the playhead), and `error` (`player.error()`: code and message). VHS does not say
 * which rendition is on screen, so the core matches the frame on screen (`resize`).
 */
import type { AdapterSink, PlayerAdapter, PlayerError, Rendition, RequestReport } from '../types';
import { cdnOf, debug, guard, internalSeeks, report } from './shared/adapter-kit';

export interface VideojsLevel {
  readonly bitrate?: number;
  readonly bandwidth?: number;
  readonly width?: number;
  readonly height?: number;
  readonly frameRate?: number;
  readonly codecs?: string;
}

interface Listenable {
  on(type: string, listener: (event: never) => void): void;
  off(type: string, listener: (event: never) => void): void;
}

/** The XHR VHS made, as its response hook gets it. */
export interface VhsRequest {
  readonly uri: string;
  readonly requestType?: string;
  readonly requestTime?: number;
  readonly status?: number;
  readonly aborted?: boolean;
  getResponseHeader?(name: string): string | null;
}

export interface VhsResponse {
  readonly statusCode?: number;
  readonly body?: ArrayBuffer | string | null;
}

interface VhsLike {
  representations?(): readonly VideojsLevel[];
  readonly xhr?: { onResponse?(hook: VhsHook): void; offResponse?(hook: VhsHook): void };
}

type VhsHook = (request: VhsRequest, error: unknown, response: VhsResponse | undefined) => void;

interface QualityLevelList extends Listenable {
  readonly length: number;
  readonly [index: number]: VideojsLevel;
}

/** The parts of a video.js Player the adapter uses. */
export interface VideojsPlayerLike extends Listenable {
  version?(): Readonly<Record<string, string>>;
  error(): { readonly code: number; readonly message?: string } | null;
  tech(safety: { IWillNotUseThisInPlugins: true }): (Listenable & { readonly vhs?: VhsLike }) | undefined;
  qualityLevels?(): QualityLevelList;
  currentSrc?(): string;
}

export function videojsRendition(level: VideojsLevel): Rendition | undefined {
  const bitrate = level.bitrate ?? level.bandwidth;
  if (!bitrate) return undefined;
  return {
    bitrate_bps: bitrate,
    ...(level.width ? { width: level.width } : {}),
    ...(level.height ? { height: level.height } : {}),
    ...(level.codecs ? { codec: level.codecs } : {}),
    ...(level.frameRate ? { fps: level.frameRate } : {}),
  };
}

export function videojsError(e: { readonly code: number; readonly message?: string }): PlayerError {
  return { code: `videojs-${e.code}`, fatal: true, ...(e.message ? { message: e.message.slice(0, 500) } : {}) };
}

/** The `usage` events VHS fires right after it moved the playhead itself. */
export const VHS_SEEKS = ['vhs-gap-skip', 'vhs-unknown-waiting', 'vhs-live-resync', 'vhs-video-underflow'];

export function vhsRequest(request: VhsRequest, response: VhsResponse | undefined, now: number): RequestReport | undefined {
  if (request.aborted || !request.uri) return undefined;
  const type = request.requestType ?? '';
  const kind: RequestReport['kind'] = /manifest|playlist/.test(type) ? 'manifest' : type.startsWith('segment') ? 'media' : 'other';
  const status = response?.statusCode ?? request.status;
  const ok = !!status && status < 400;
  const body = response?.body;
  return report({
    kind,
    url: request.uri,
    ok,
    status: status || undefined,
    bytes: ok && body ? (typeof body === 'string' ? body.length : body.byteLength) : undefined,
    duration_ms: request.requestTime && now >= request.requestTime ? now - request.requestTime : undefined,
    cdn: request.getResponseHeader ? cdnOf((name) => request.getResponseHeader?.(name)) : undefined,
  });
}

export function videojs(player: VideojsPlayerLike): PlayerAdapter {
  let version: string | undefined;
  try {
    version = player.version?.()['video.js'];
  } catch {
    version = undefined;
  }
  return {
    name: 'video.js',
    version,
    attach(video: HTMLVideoElement, sink: AdapterSink) {
      if (typeof player?.on !== 'function' || typeof player.tech !== 'function') {
        debug('videojs', 'not a video.js Player: the adapter reports nothing');
        return () => undefined;
      }
      const seeks = internalSeeks(video, sink);
      const tech = () => player.tech({ IWillNotUseThisInPlugins: true });
      let hooked: VhsLike['xhr'];
      let watchedTech: Listenable | undefined;
      const usage = guard('videojs', (e: { name?: string }) => {
        if (VHS_SEEKS.includes(e.name ?? '')) seeks.check();
      });
      const responded: VhsHook = guard('videojs', (request, _error, response) => {
        const r = vhsRequest(request, response, Date.now());
        if (!r) return;
        sink.request(r);
        if (r.cdn) sink.cdn(r.cdn);
      });
      const renditions = guard('videojs', () => {
        const levels = player.qualityLevels?.();
        const list: VideojsLevel[] = levels?.length ? Array.from({ length: levels.length }, (_, i) => levels[i]!) : [...(tech()?.vhs?.representations?.() ?? [])];
        const mapped = list.map(videojsRendition).filter((r): r is Rendition => !!r);
        if (mapped.length) sink.renditions(mapped);
      });
      // VHS exists once a source is handed to it; its hooks and the tech's events are taken then.
      const hook = guard('videojs', () => {
        const t = tech();
        if (t && t !== watchedTech) {
          watchedTech?.off('usage', usage);
          t.on('usage', usage);
          watchedTech = t;
        }
        const xhr = t?.vhs?.xhr;
        if (xhr?.onResponse && xhr !== hooked) {
          hooked?.offResponse?.(responded);
          xhr.onResponse(responded);
          hooked = xhr;
        }
      });
      const failed = guard('videojs', () => {
        const e = player.error();
        // An error of the element itself is the core's to report.
        if (e && !video.error) sink.error(videojsError(e));
      });
      const levels = player.qualityLevels?.();
      const playerEvents: [string, () => void][] = [
        ['xhr-hooks-ready', hook],
        ['loadstart', hook],
        ['loadstart', guard('videojs', () => {
          const src = player.currentSrc?.();
          if (src) sink.source?.(src);
        })],
        ['loadedmetadata', renditions],
        ['error', failed],
      ];
      for (const [type, fn] of playerEvents) player.on(type, fn);
      levels?.on('addqualitylevel', renditions);
      hook();
      renditions();
      return () => {
        for (const [type, fn] of playerEvents) player.off(type, fn);
        levels?.off('addqualitylevel', renditions);
        watchedTech?.off('usage', usage);
        hooked?.offResponse?.(responded);
        seeks.stop();
      };
    },
  };
}
