/**
 * The parts of a view snapshot and a final score the computation reads (structurally the
 * contracts' ViewSnapshot and ScoredView, which this lib may not import: contracts' own tests use it).
 */
interface ViewSnapshot {
  readonly view_id: string;
  readonly revision: number;
  readonly status: string;
  readonly last_received_at: number;
  readonly context: { readonly cdn?: string; readonly video_title?: string; readonly video_id?: string; readonly stream_type?: string; readonly player_name?: string; readonly player_version?: string };
  readonly client?: { readonly country?: string; readonly asn?: number; readonly device_type?: string };
  readonly metrics: {
    readonly started: boolean;
    readonly startup_time_ms: number | null;
    readonly start_failed: boolean;
    readonly playback_failed: boolean;
    readonly exited_before_start: boolean;
    readonly playing_time_ms: number;
    readonly rebuffer_duration_ms: number;
    readonly watch_time_ms: number;
    readonly rebuffer_count: number;
  };
}
interface ScoredView {
  readonly scores: { readonly overall: number | null };
}

const MINUTE = 60_000;

/**
 * The cohorts the batch computation of the aggregates (docs/aggregates.md), which e2e tests
 * compare the platform's answers with, recomputes: dimension -> value of a view ('unknown' when
 * absent).
 */
export const BATCH_DIMENSIONS: Record<string, (v: ViewSnapshot) => string | number | undefined> = {
  all: () => 'all',
  cdn: (v) => v.context.cdn,
  country: (v) => v.client?.country,
  asn: (v) => v.client?.asn,
  device_type: (v) => v.client?.device_type,
  title: (v) => v.context.video_title ?? v.context.video_id,
  stream_type: (v) => v.context.stream_type,
  player_version: (v) => (v.context.player_version === undefined ? undefined : `${v.context.player_name ?? 'unknown'} ${v.context.player_version}`),
  // A combination of the scorer's default SCORER_COMBINATIONS: value parts joined by |.
  'cdn+country': (v) => `${v.context.cdn ?? 'unknown'}|${v.client?.country ?? 'unknown'}`,
};

/** One cohort's minute as the batch computation finds it. */
export interface Expected {
  attempts: number;
  plays: number;
  ended_plays: number;
  ebvs: number;
  start_failures: number;
  playback_failures: number;
  concurrent: Set<string>;
  watch: number;
  playing: number;
  rebuffer: number;
  rebuffer_count: number;
  startups: number[];
  overall: number[];
}

const blank = (): Expected => ({
  attempts: 0,
  plays: 0,
  ended_plays: 0,
  ebvs: 0,
  start_failures: 0,
  playback_failures: 0,
  concurrent: new Set(),
  watch: 0,
  playing: 0,
  rebuffer: 0,
  rebuffer_count: 0,
  startups: [],
  overall: [],
});

/**
 * The batch computation, straight from the definitions of docs/aggregates.md over every snapshot
 * of every view: a view's value of a cumulative metric as of a time is the largest it reported
 * up to then; a minute's activity is the growth of that value over the minute; a transition
 * (attempt, first frame, failure, completion) belongs to the minute of the first snapshot that
 * shows it. Time is the server time of the snapshot's last beacon.
 */
export function batchAggregates(snapshots: ViewSnapshot[], finalScores: Map<string, ScoredView>): Map<string, Expected> {
  const byView = new Map<string, ViewSnapshot[]>();
  for (const s of snapshots) byView.set(s.view_id, [...(byView.get(s.view_id) ?? []), s]);
  const out = new Map<string, Expected>();
  const cell = (minute: number, view: ViewSnapshot): Expected[] =>
    Object.entries(BATCH_DIMENSIONS).map(([dimension, valueOf]) => {
      const key = `${minute}|${dimension}|${String(valueOf(view) ?? 'unknown')}`;
      let e = out.get(key);
      if (!e) out.set(key, (e = blank()));
      return e;
    });
  const minuteOf = (s: ViewSnapshot) => Math.floor(s.last_received_at / MINUTE) * MINUTE;
  for (const [viewId, list] of byView) {
    list.sort((a, b) => a.revision - b.revision);
    const first = <T>(predicate: (s: ViewSnapshot) => boolean, apply: (e: Expected, s: ViewSnapshot) => T) => {
      const s = list.find(predicate);
      if (s) for (const e of cell(minuteOf(s), s)) apply(e, s);
    };
    first(() => true, (e) => e.attempts++);
    first((s) => s.metrics.started, (e, s) => (e.plays++, e.startups.push(s.metrics.startup_time_ms!)));
    first((s) => s.metrics.start_failed, (e) => e.start_failures++);
    first((s) => s.metrics.playback_failed, (e) => e.playback_failures++);
    first(
      (s) => s.status === 'completed',
      (e, s) => {
        e.ended_plays++;
        if (s.metrics.exited_before_start) e.ebvs++;
        const overall = finalScores.get(`${viewId}:${s.revision}`)?.scores.overall;
        if (overall !== null && overall !== undefined) e.overall.push(overall);
      },
    );
    const asOf = (end: number, metric: (s: ViewSnapshot) => number) => Math.max(0, ...list.filter((s) => s.last_received_at < end).map(metric));
    const minutes = [...new Set(list.map(minuteOf))];
    for (const m of minutes) {
      const growth = (metric: (s: ViewSnapshot) => number) => asOf(m + MINUTE, metric) - asOf(m, metric);
      const playing = growth((s) => s.metrics.playing_time_ms);
      const rebuffer = growth((s) => s.metrics.rebuffer_duration_ms);
      const atEnd = list.filter((s) => minuteOf(s) === m).at(-1)!;
      for (const e of cell(m, atEnd)) {
        e.watch += growth((s) => s.metrics.watch_time_ms);
        e.playing += playing;
        e.rebuffer += rebuffer;
        e.rebuffer_count += growth((s) => s.metrics.rebuffer_count);
        if (playing > 0 || rebuffer > 0) e.concurrent.add(viewId);
      }
    }
  }
  // A minute in which a view only re-said what it had said before is no activity.
  for (const [key, e] of out) {
    const counts = e.attempts + e.plays + e.ended_plays + e.start_failures + e.playback_failures + e.concurrent.size + e.rebuffer_count;
    if (counts === 0 && e.watch === 0 && e.playing === 0 && e.rebuffer === 0) out.delete(key);
  }
  return out;
}

