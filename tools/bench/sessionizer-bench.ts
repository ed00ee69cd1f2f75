// `npm run bench:sessionizer`: the sessionizer's view logic in this process, on one core, at
// SESSIONIZER_BENCH_VIEWS (100,000) concurrent views: events per CPU-second applying beacons of 5
// events round after round (alone, and with a copy of the state per batch, which the service made
// before it ran as a stage whose failed steps replay from the checkpoint instead),
// beside the same loop doing nothing but build the batches (measured in the same run); and the
// memory each active view takes (heap, and its checkpointed JSON). Run with --expose-gc.
import type { EventBatch, PlayerEvent } from '@sightline/contracts';
import { onBatch, type ViewState } from '@sightline/sessionization';

const VIEWS = Number(process.env.SESSIONIZER_BENCH_VIEWS ?? 100_000);
const ROUNDS = Number(process.env.SESSIONIZER_BENCH_ROUNDS ?? 4);
const EVENTS_PER_BEACON = 5;
const T0 = 1_764_100_000_000;
const gc = (globalThis as { gc?: () => void }).gc;

function firstBatch(v: number): EventBatch {
  const events: PlayerEvent[] = [
    { seq: 0, type: 'playerready', ts: T0, playhead_ms: 0, player_width: 1280, player_height: 720 },
    { seq: 1, type: 'viewstart', ts: T0, playhead_ms: 0 },
    { seq: 2, type: 'play', ts: T0, playhead_ms: 0 },
    { seq: 3, type: 'renditionchange', ts: T0 + 900, playhead_ms: 0, rendition: { bitrate_bps: 3_000_000, width: 1280, height: 720 } },
    { seq: 4, type: 'playing', ts: T0 + 1000, playhead_ms: 0 },
  ];
  return { v: 1, view_id: `bench-${v}`, context: { cdn: `cdn-${v % 3}`, player_name: 'hls.js', video_id: `vod-${v % 50}` }, enrichment: { property_id: 'bench', received_at: T0 + 1000, country: 'NO', asn: 2119 }, events };
}

/** Round r (1, 2, ...) of view v: a request, heartbeats and, every third round, a rendition change. */
function roundBatch(v: number, r: number): EventBatch {
  const base = T0 + 1000 + r * 10_000;
  const events: PlayerEvent[] = Array.from({ length: EVENTS_PER_BEACON }, (_, i) => {
    const ts = base + i * 2000;
    const playhead = ts - T0 - 1000;
    const seq = 5 + (r - 1) * EVENTS_PER_BEACON + i;
    if (i === 0) return { seq, type: 'requestcompleted', ts, playhead_ms: playhead, request: { kind: 'media', status: 200, bytes: 1_500_000, duration_ms: 800, ttfb_ms: 40 } };
    if (i === 1 && r % 3 === 0) return { seq, type: 'renditionchange', ts, playhead_ms: playhead, rendition: { bitrate_bps: r % 2 ? 6_000_000 : 1_500_000 } };
    return { seq, type: 'heartbeat', ts, playhead_ms: playhead };
  });
  return { v: 1, view_id: `bench-${v}`, enrichment: { property_id: 'bench', received_at: base + 8000 }, events };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function main(): void {
  if (!gc) process.stderr.write('sessionizer-bench: run with --expose-gc for the memory figures\n');
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const views = new Map<string, ViewState>();
  for (let v = 0; v < VIEWS; v++) {
    const batch = firstBatch(v);
    views.set(batch.view_id, onBatch(undefined, batch).state);
  }
  gc?.();
  const heapPerView = (process.memoryUsage().heapUsed - heapBefore) / VIEWS;
  let jsonBytes = 0;
  for (let v = 0; v < VIEWS; v += 100) jsonBytes += JSON.stringify(views.get(`bench-${v}`)).length;
  const jsonPerView = jsonBytes / Math.ceil(VIEWS / 100);

  // The same loop doing nothing but build each batch: the floor of the loop itself.
  let cpu = process.cpuUsage();
  let sink = 0;
  for (let r = 1; r <= ROUNDS; r++) for (let v = 0; v < VIEWS; v++) sink += roundBatch(v, r).events.length;
  const loopOnly = (ROUNDS * VIEWS * EVENTS_PER_BEACON) / cpuSeconds(cpu);

  let published = 0;
  cpu = process.cpuUsage();
  for (let r = 1; r <= ROUNDS; r++) {
    for (let v = 0; v < VIEWS; v++) {
      const batch = roundBatch(v, r);
      const { state, output } = onBatch(views.get(batch.view_id), batch);
      views.set(batch.view_id, state);
      if (output.updated) published++;
    }
  }
  const applied = (ROUNDS * VIEWS * EVENTS_PER_BEACON) / cpuSeconds(cpu);

  cpu = process.cpuUsage();
  for (let r = ROUNDS + 1; r <= 2 * ROUNDS; r++) {
    for (let v = 0; v < VIEWS; v++) {
      const batch = roundBatch(v, r);
      const { state } = onBatch(structuredClone(views.get(batch.view_id)), batch);
      views.set(batch.view_id, state);
    }
  }
  const withCopy = (ROUNDS * VIEWS * EVENTS_PER_BEACON) / cpuSeconds(cpu);

  const sample = views.get('bench-7')!;
  const summary = {
    views: VIEWS,
    eventsPerBeacon: EVENTS_PER_BEACON,
    rounds: ROUNDS,
    loopOnlyEventsPerCpuSecond: Math.round(loopOnly),
    sessionizerEventsPerCpuSecond: Math.round(applied),
    sessionizerWithStateCopyEventsPerCpuSecond: Math.round(withCopy),
    heapBytesPerActiveView: gc ? Math.round(heapPerView) : null,
    checkpointJsonBytesPerView: Math.round(jsonPerView),
    updatesPublished: published,
    check: { playingMs: sample.playingMs, watchMs: sample.watchMs, upshifts: sample.upshifts, downshifts: sample.downshifts, sink: sink > 0 },
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.stdout.write(
    `${VIEWS} views: ${summary.sessionizerEventsPerCpuSecond} events/CPU-s (${summary.sessionizerWithStateCopyEventsPerCpuSecond} with a state copy per batch, as before stages; the bare loop ${summary.loopOnlyEventsPerCpuSecond}); ${summary.heapBytesPerActiveView ?? '?'} heap bytes and ${summary.checkpointJsonBytesPerView} checkpoint bytes per active view\n`,
  );
}

main();
