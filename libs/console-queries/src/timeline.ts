import type { EventBatch, PlayerEvent } from '@sightline/contracts';

/** One event of a view as the timeline lists it. */
export interface TimelineEvent {
  readonly seq: number;
  readonly type: PlayerEvent['type'];
  /** Device time, ms since the epoch, and ms since the view's first event. */
  readonly ts: number;
  readonly t: number;
  readonly playhead_ms: number;
  /** Server time the event's beacon arrived, ms. */
  readonly received_at: number;
  readonly rendition?: PlayerEvent['rendition'];
  readonly error?: PlayerEvent['error'];
}

export type SpanKind = 'startup' | 'playing' | 'stall' | 'seek' | 'pause' | 'ad';

/** A stretch of the view in one state, ms since its first event (`to` null: still open at the last event). */
export interface TimelineSpan {
  readonly kind: SpanKind;
  readonly from: number;
  readonly to: number | null;
}

export interface Timeline {
  readonly view_id: string;
  readonly start_ts: number;
  readonly duration_ms: number;
  readonly events: TimelineEvent[];
  readonly spans: TimelineSpan[];
  /** Renditions on screen from `t` on. */
  readonly renditions: { readonly t: number; readonly bitrate_bps: number; readonly width?: number; readonly height?: number }[];
  readonly errors: { readonly t: number; readonly code: string; readonly message?: string; readonly fatal: boolean }[];
}

const ENDS: Partial<Record<SpanKind, readonly PlayerEvent['type'][]>> = {
  startup: ['playing', 'error', 'viewend', 'videochange', 'adbreakstart'],
  playing: ['pause', 'seeking', 'rebufferstart', 'ended', 'viewend', 'videochange', 'adbreakstart', 'error'],
  stall: ['rebufferend', 'playing', 'seeking', 'pause', 'viewend', 'videochange', 'error'],
  seek: ['seeked', 'playing', 'viewend', 'videochange'],
  pause: ['play', 'playing', 'seeking', 'viewend', 'videochange'],
  ad: ['adbreakend', 'viewend', 'videochange'],
};

/**
 * A view's timeline from its event batches as ingest stored them (resends dropped by `seq`,
 * applied in `seq` order, as the sessionizer applies them): every event, the spans a player's
 * timeline bar shows (startup, playing, stalls the player reported, seeks, pauses, ad breaks),
 * rendition changes and errors. Stalls a player did not report (inferred by the sessionizer
 * from the playhead) are in the view's figures, not here.
 */
export function timelineOf(viewId: string, batches: readonly EventBatch[]): Timeline {
  const bySeq = new Map<number, TimelineEvent & { raw: PlayerEvent }>();
  for (const batch of batches) {
    if (batch.view_id !== viewId) continue;
    for (const e of batch.events) {
      if (!bySeq.has(e.seq)) bySeq.set(e.seq, { seq: e.seq, type: e.type, ts: e.ts, t: 0, playhead_ms: e.playhead_ms, received_at: batch.enrichment.received_at, raw: e, ...(e.rendition ? { rendition: e.rendition } : {}), ...(e.error ? { error: e.error } : {}) });
    }
  }
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const start = ordered[0]?.ts ?? 0;
  const events: TimelineEvent[] = ordered.map(({ raw: _raw, ...e }) => ({ ...e, t: Math.max(0, e.ts - start) }));
  const spans: TimelineSpan[] = [];
  const renditions: Timeline['renditions'][number][] = [];
  const errors: Timeline['errors'][number][] = [];
  const state: { open: { kind: SpanKind; from: number } | null } = { open: null };
  let started = false;
  const close = (at: number) => {
    if (state.open) spans.push({ kind: state.open.kind, from: state.open.from, to: at });
    state.open = null;
  };
  const begin = (kind: SpanKind, at: number) => {
    close(at);
    state.open = { kind, from: at };
  };
  for (const e of events) {
    if (e.rendition && renditions.at(-1)?.bitrate_bps !== e.rendition.bitrate_bps) {
      renditions.push({ t: e.t, bitrate_bps: e.rendition.bitrate_bps, ...(e.rendition.width !== undefined ? { width: e.rendition.width } : {}), ...(e.rendition.height !== undefined ? { height: e.rendition.height } : {}) });
    }
    if (e.error) errors.push({ t: e.t, code: e.error.code, ...(e.error.message ? { message: e.error.message } : {}), fatal: e.error.fatal });
    const current = state.open;
    if (current && current.kind === 'ad' && e.type !== 'adbreakend' && e.type !== 'viewend' && e.type !== 'videochange') continue;
    if (current && ENDS[current.kind]?.includes(e.type)) close(e.t);
    switch (e.type) {
      case 'play':
        if (!started) begin('startup', e.t);
        break;
      case 'playing':
        started = true;
        begin('playing', e.t);
        break;
      case 'rebufferstart':
        begin('stall', e.t);
        break;
      case 'seeking':
        begin('seek', e.t);
        break;
      case 'pause':
        begin('pause', e.t);
        break;
      case 'adbreakstart':
        begin('ad', e.t);
        break;
      case 'rebufferend':
      case 'seeked':
      case 'adbreakend':
        if (started) begin('playing', e.t);
        break;
      default:
        break;
    }
    if (e.type === 'error' && e.error?.fatal) close(e.t);
  }
  const last = events.at(-1)?.t ?? 0;
  if (state.open) spans.push({ kind: state.open.kind, from: state.open.from, to: null });
  return { view_id: viewId, start_ts: start, duration_ms: last, events, spans, renditions, errors };
}
