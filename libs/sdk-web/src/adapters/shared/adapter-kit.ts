/**
 * What the four player adapters share: a guard that keeps an adapter's bug out of the page, the
 * CDN named by a response header, and the test for a seek the player has just made itself.
 * Bundled into each adapter (they stay independent files of a few hundred bytes each).
 */
import type { AdapterSink, RequestReport } from '../../types';

/** Logs with the SDK's prefix; adapters log only what they cannot do (a player they cannot read). */
export function debug(adapter: string, message: string, detail?: unknown): void {
  console.debug(`[sightline:${adapter}] ${message}`, detail ?? '');
}

/** `fn` that never throws into the player's event loop: a failure is logged once per call site. */
export function guard<A extends unknown[]>(adapter: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      debug(adapter, 'event not read', error);
    }
  };
}

/**
 * The CDN a response names, from a header readable by the page (cross-origin, only those the
 * server exposes with Access-Control-Expose-Headers): `x-cdn` as set by the origin or a
 * multi-CDN switch, else the CDNs' own signature headers.
 */
export function cdnOf(header: (name: string) => string | null | undefined): string | undefined {
  const named = header('x-cdn');
  if (named) return named.trim().slice(0, 128);
  if (header('cf-ray')) return 'cloudflare';
  if (header('x-amz-cf-id')) return 'cloudfront';
  if (header('x-akamai-request-id') || header('akamai-grn')) return 'akamai';
  if (/\bcache-/.test(header('x-served-by') ?? '')) return 'fastly';
  return undefined;
}

/** A header reader over a raw `name: value\r\n` block (XHR's getAllResponseHeaders, dash.js metrics). */
export function headerBlock(block: string | null | undefined): (name: string) => string | undefined {
  const lines = (block ?? '').toLowerCase().split(/\r?\n/);
  return (name) => {
    const line = lines.find((l) => l.startsWith(`${name}:`));
    return line?.slice(name.length + 1).trim();
  };
}

/** ms rounded, or undefined when either end is missing or the span is negative. */
export function span(from: number | undefined, to: number | undefined): number | undefined {
  return from && to && to >= from ? Math.round(to - from) : undefined;
}

/** A request report without its undefined fields (the core sends what it is given). */
export function report(fields: RequestReport): RequestReport {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)) as unknown as RequestReport;
}

/**
 * Tells the core about a seek the player has just started itself. Players set `currentTime` and
 * then (synchronously) emit their event; the element's `seeking` event is dispatched later, as a
 * task. So when the element is seeking to a position no `seeking` event (nor an earlier call) has
 * gone to, the seek is one the player has just made: `internalSeek()` reaches the core before its
 * `seeking` event does. A seek made while another is still in progress (hls.js nudges into a
 * hole, then skips past it before the first seek ends) is a new position, so it is told too; a
 * call during a seek already seen (the viewer's, or one told before) is not. Returns the check,
 * to call from the player's events, and what stops it.
 */
export function internalSeeks(video: HTMLVideoElement, sink: AdapterSink): { check(): void; stop(): void } {
  let target = NaN;
  const seeking = () => (target = video.currentTime);
  video.addEventListener('seeking', seeking);
  return {
    check() {
      if (video.seeking && video.currentTime !== target) {
        target = video.currentTime;
        sink.internalSeek();
      }
    },
    stop() {
      video.removeEventListener('seeking', seeking);
    },
  };
}
