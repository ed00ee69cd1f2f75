import type { Beacon, PlayerEvent, ViewContext } from '@sightline/contracts';
import type { SimulatedView } from './player';

export interface SdkOptions {
  /** Seconds between flushes while a view plays. */
  readonly intervalS: number;
  /** A beacon is sent as soon as it holds this many events. */
  readonly maxEvents: number;
}

export interface ScheduledBeacon {
  /** When the SDK sends it, ms since the epoch. */
  readonly sendAt: number;
  readonly beacon: Beacon;
}

/** Events that make an SDK flush at once rather than wait for its timer. */
const FLUSH_NOW = new Set(['playing', 'viewend', 'error', 'ended']);

export function viewContext(view: SimulatedView): ViewContext {
  const p = view.profile;
  return {
    video_id: p.title.id,
    video_title: p.title.title,
    stream_type: p.title.live ? 'live' : 'vod',
    player_name: p.device.playerName,
    player_version: p.playerVersion,
    cdn: p.cdn,
    viewer_id: p.viewerId,
  };
}

/**
 * The beacons a player SDK sends for a view, the way Mux-style SDKs batch: on a timer, when a
 * batch is full, and at once for the first frame, errors and the end of the view. Events are
 * already delta-encoded (fields such as the rendition or the player size appear only when they
 * change); the view's context goes with the first beacon only.
 */
export function beaconsOf(view: SimulatedView, options: SdkOptions): ScheduledBeacon[] {
  const out: ScheduledBeacon[] = [];
  let pending: PlayerEvent[] = [];
  const intervalMs = options.intervalS * 1000;
  let nextTimer = view.startAt + intervalMs;
  const flush = (at: number) => {
    if (pending.length === 0) return;
    out.push({
      sendAt: at,
      beacon: { v: 1, view_id: view.viewId, ...(out.length === 0 ? { context: viewContext(view) } : {}), events: pending },
    });
    pending = [];
  };
  for (const event of view.events) {
    while (event.ts >= nextTimer) {
      flush(nextTimer);
      nextTimer += intervalMs;
    }
    pending.push(event);
    if (pending.length >= options.maxEvents || FLUSH_NOW.has(event.type)) flush(event.ts);
  }
  flush(view.endAt);
  return out;
}
