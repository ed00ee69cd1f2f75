/**
 * Delta encoding (docs/metrics.md#phases): `rendition`, `player_width` and `player_height` go on
 * an event only when they differ from what the view last sent; the sessionizer carries the last
 * value forward. A new view starts from nothing, so its first event carries them all.
 */
import type { Rendition } from './types';
import type { WireEvent } from './wire';

export interface Sent {
  rendition?: Rendition;
  width?: number;
  height?: number;
}

export function sameRendition(a: Rendition | undefined, b: Rendition | undefined): boolean {
  return (
    a === b ||
    (a !== undefined &&
      b !== undefined &&
      a.bitrate_bps === b.bitrate_bps &&
      a.width === b.width &&
      a.height === b.height &&
      a.codec === b.codec &&
      a.fps === b.fps)
  );
}

/** Adds to `event` the fields that changed since `sent`, and records them as sent. */
export function encodeDeltas(sent: Sent, event: WireEvent, rendition: Rendition | undefined, width: number, height: number): void {
  if (rendition && !sameRendition(rendition, sent.rendition)) {
    event.rendition = rendition;
    sent.rendition = rendition;
  }
  if (width > 0 && height > 0 && (width !== sent.width || height !== sent.height)) {
    event.player_width = width;
    event.player_height = height;
    sent.width = width;
    sent.height = height;
  }
}

/** The delta fields of a dropped event move to the next one of its view that does not set them. */
export function carryDeltas(from: WireEvent, to: WireEvent): void {
  if (from.rendition && !to.rendition) to.rendition = from.rendition;
  if (from.player_width !== undefined && to.player_width === undefined) {
    to.player_width = from.player_width;
    to.player_height = from.player_height;
  }
}

/**
 * The rendition of a frame of `width`×`height` among `list`: the one of that size; among several
 * of the same size, the one already on screen, else the one closest in bitrate to it.
 */
export function renditionOfFrame(list: readonly Rendition[], width: number, height: number, current?: Rendition): Rendition | undefined {
  const sized = list.filter((r) => r.width === width && r.height === height);
  if (sized.length === 0) return undefined;
  if (current) {
    const same = sized.find((r) => sameRendition(r, current));
    if (same) return same;
    const b = current.bitrate_bps;
    return sized.reduce((best, r) => (Math.abs(r.bitrate_bps - b) < Math.abs(best.bitrate_bps - b) ? r : best));
  }
  return sized[0];
}
