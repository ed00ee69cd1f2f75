import type { Scores, ViewActivity, ViewSnapshot } from '@sightline/contracts';
import { SCORE_VERSION, scoresOf } from '@sightline/qoe-score';

/** The length of the monitoring window: a view counts once per minute as a concurrent viewer. */
export const MINUTE_MS = 60_000;

/**
 * What the scorer remembers of a view between snapshots: the high-water marks of its cumulative
 * metrics and the transitions already counted. Plain JSON (it is checkpointed as keyed state).
 */
export interface ActivityCursor {
  readonly revision: number;
  readonly started: boolean;
  readonly startFailed: boolean;
  readonly playbackFailed: boolean;
  readonly ended: boolean;
  /** Start of the last window in which the view was counted as a concurrent viewer, or -1. */
  readonly concurrentWindow: number;
  readonly watchMs: number;
  readonly playingMs: number;
  readonly rebufferMs: number;
  readonly rebufferCount: number;
  readonly bitrateMs: number;
  readonly bitrateWeightMs: number;
}

const EMPTY: ActivityCursor = {
  revision: 0,
  started: false,
  startFailed: false,
  playbackFailed: false,
  ended: false,
  concurrentWindow: -1,
  watchMs: 0,
  playingMs: 0,
  rebufferMs: 0,
  rebufferCount: 0,
  bitrateMs: 0,
  bitrateWeightMs: 0,
};

const flag = (now: boolean, before: boolean): 0 | 1 => (now && !before ? 1 : 0);

/**
 * The activity of a view between its previous snapshot (summarised by `cursor`) and `snapshot`.
 *
 * Cumulative metrics are followed by their high-water marks, so the activity of any time range is
 * the growth of those marks over it: summing the activities of the snapshots of a minute gives
 * exactly "cumulative as of the minute's end minus cumulative as of its start", whatever the
 * number of snapshots. A snapshot older than one already seen (a lower revision) gives nothing.
 * A viewer counts once per minute as concurrent. `scores` are the snapshot's scores when the
 * caller has them already (the scorer scores every snapshot); otherwise they are computed here,
 * once the view has ended. Definitions: docs/aggregates.md#activity-what-a-view-did-between-two-snapshots.
 */
export function activityOf(cursor: ActivityCursor | undefined, snapshot: ViewSnapshot, scores?: Scores): { activity: ViewActivity | null; cursor: ActivityCursor } {
  const before = cursor ?? EMPTY;
  if (snapshot.revision <= before.revision) return { activity: null, cursor: before };
  const m = snapshot.metrics;
  const bitrateWeight = m.weighted_average_bitrate_bps === null ? 0 : m.playing_time_ms;
  const next: ActivityCursor = {
    revision: snapshot.revision,
    started: before.started || m.started,
    startFailed: before.startFailed || m.start_failed,
    playbackFailed: before.playbackFailed || m.playback_failed,
    ended: before.ended || snapshot.status === 'completed',
    concurrentWindow: before.concurrentWindow,
    watchMs: Math.max(before.watchMs, m.watch_time_ms),
    playingMs: Math.max(before.playingMs, m.playing_time_ms),
    rebufferMs: Math.max(before.rebufferMs, m.rebuffer_duration_ms),
    rebufferCount: Math.max(before.rebufferCount, m.rebuffer_count),
    bitrateMs: Math.max(before.bitrateMs, (m.weighted_average_bitrate_bps ?? 0) * bitrateWeight),
    bitrateWeightMs: Math.max(before.bitrateWeightMs, bitrateWeight),
  };
  const at = snapshot.last_received_at;
  const window = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  const playingMs = next.playingMs - before.playingMs;
  const rebufferMs = next.rebufferMs - before.rebufferMs;
  const concurrent = (playingMs > 0 || rebufferMs > 0) && before.concurrentWindow !== window ? 1 : 0;
  const ended = flag(next.ended, before.ended);
  const play = flag(next.started, before.started);
  const activity: ViewActivity = {
    v: 1,
    view_id: snapshot.view_id,
    property_id: snapshot.property_id,
    revision: snapshot.revision,
    at,
    context: snapshot.context,
    ...(snapshot.client ? { client: snapshot.client } : {}),
    attempt: before.revision === 0 ? 1 : 0,
    play,
    startup_time_ms: play ? m.startup_time_ms : null,
    start_failure: flag(next.startFailed, before.startFailed),
    playback_failure: flag(next.playbackFailed, before.playbackFailed),
    ended,
    ebvs: ended && m.exited_before_start ? 1 : 0,
    concurrent,
    watch_ms: next.watchMs - before.watchMs,
    playing_ms: playingMs,
    rebuffer_ms: rebufferMs,
    rebuffer_count: next.rebufferCount - before.rebufferCount,
    bitrate_ms: next.bitrateMs - before.bitrateMs,
    bitrate_weight_ms: next.bitrateWeightMs - before.bitrateWeightMs,
    ...(ended ? { scores: { ...(scores ?? scoresOf(snapshot)), score_version: SCORE_VERSION } } : {}),
  };
  return { activity: isEmpty(activity) ? null : activity, cursor: concurrent ? { ...next, concurrentWindow: window } : next };
}

/** Nothing happened: no transition and no growth (a snapshot that only re-said the same). */
function isEmpty(a: ViewActivity): boolean {
  return (
    a.attempt + a.play + a.start_failure + a.playback_failure + a.ended + a.ebvs + a.concurrent === 0 &&
    a.watch_ms === 0 &&
    a.playing_ms === 0 &&
    a.rebuffer_ms === 0 &&
    a.rebuffer_count === 0 &&
    a.bitrate_ms === 0 &&
    a.bitrate_weight_ms === 0
  );
}
