// `npm run bench:console`: p50/p99 of the console's main queries over 1 h and 24 h of aggregates
// of a 10,000-viewer fleet, beside the time a bare JetStream client takes to read the same
// messages (the same subject filters, an ordered consumer, JSON parsed), same run, same machine.
// The data is synthetic and published at the start of the run into two namespaces of its own
// (one holding 1 h, one 24 h), so each query range covers all of its namespace's data; the
// console runs as a process from dist/ as in production. Options: BENCH_RUNS (30), NATS_URL.
import { DDSketch } from '@datadog/sketches-js';
import { createTopology, streams, subjects, type CohortAggregate, type ScoredView, type ViewSnapshot } from '@sightline/contracts';
import { connectJetStream, encodeJson, ensureStreams, type JetStreamConnection } from '@sightline/messaging';
import { deleteNamespace, natsUrl, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { saveSketch } from '@sightline/windowing';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const VIEWERS = 10_000;
const PROPERTY = 'bench';
const TOKEN = 'console-bench-token-0001';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const CDNS = ['akamai', 'cloudfront', 'fastly', 'level3', 'edgio'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NO', 'SE', 'BR', 'IN', 'JP', 'ES'];
/** Panes per window: early panes every 5 s of a minute plus the on-time pane; hours: one a minute plus on-time. */
const MINUTE_PANES = 13;
const HOUR_PANES = 61;

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

function sketchOf(n: number): { count: number; median: number; p95: number; sketch: string } {
  const s = new DDSketch({ relativeAccuracy: 0.01 });
  for (let i = 0; i < n; i++) s.accept(300 + random() * 3000);
  return { count: n, median: s.getValueAtQuantile(0.5), p95: s.getValueAtQuantile(0.95), sketch: saveSketch(s, 0.01) };
}

/** One cohort's pane: a share of the fleet's figures for the window. */
function pane(granularity: 'minute' | 'hour', start: number, dimension: string, value: string, share: number, index: number): CohortAggregate {
  const size = granularity === 'minute' ? MINUTE : HOUR;
  const viewers = Math.round(VIEWERS * share);
  const plays = Math.round((granularity === 'minute' ? 200 : 12_000) * share);
  const watch = viewers * size * 0.9;
  return {
    v: 1, property_id: PROPERTY, granularity, window_start: start, window_end: start + size, dimension, value, timing: index === (granularity === 'minute' ? MINUTE_PANES : HOUR_PANES) - 1 ? 'on_time' : 'early', pane_index: index,
    attempts: plays + 5, plays, ended_plays: plays, concurrent_viewers: viewers, ebvs: 2, start_failures: 1, playback_failures: 1,
    ebvs_rate: 2 / (plays + 5), start_failure_rate: 1 / (plays + 5), playback_failure_rate_of_attempts: 1 / (plays + 5), playback_failure_rate_of_ended_plays: plays ? 1 / plays : null,
    startup_time_ms: sketchOf(Math.min(plays, 50)),
    watch_time_ms: watch, playing_time_ms: watch * 0.98, rebuffer_time_ms: watch * 0.01, rebuffer_count: Math.round(plays * 0.3), rebuffer_percentage: 0.01, rebuffering_ratio: 0.0101, weighted_average_bitrate_bps: 2_500_000,
    scored_views: plays, score_version: 'sightline-qoe/1', mean_scores: { overall: 82, playback_success: 98, startup_time: 85, smoothness: 90, video_quality: 75 }, overall_score_distribution: [0, 0, 0, 0, 0, 1, 2, 5, plays, 0],
  };
}

const COHORTS: [string, string, number][] = [['all', 'all', 1], ...CDNS.map((c): [string, string, number] => ['cdn', c, 1 / CDNS.length]), ...COUNTRIES.map((c): [string, string, number] => ['country', c, 1 / COUNTRIES.length])];

async function publishAll(conn: JetStreamConnection, messages: { subject: string; data: Uint8Array }[]): Promise<void> {
  let window: Promise<unknown>[] = [];
  for (const m of messages) {
    window.push(conn.publish(m.subject, m.data));
    if (window.length >= 2000) {
      await Promise.all(window);
      window = [];
    }
  }
  await Promise.all(window);
}

/** A namespace holding `hours` of aggregates (and, for the views query, 10,000 completed views), ending now. */
async function prepare(conn: JetStreamConnection, hours: number): Promise<{ ns: string; end: number; messages: number }> {
  const ns = uniqueNamespace(`cb${hours}h`);
  const topology = createTopology(ns, 8);
  await ensureStreams(conn, Object.values(streams(topology)), { maxAgeMs: 7 * 24 * HOUR });
  const end = Math.floor(Date.now() / MINUTE) * MINUTE;
  const out: { subject: string; data: Uint8Array }[] = [];
  for (let start = end - hours * HOUR; start < end; start += MINUTE) {
    for (let i = 0; i < MINUTE_PANES; i++) for (const [d, v, share] of COHORTS) out.push({ subject: subjects.aggregate(topology, 'minute', PROPERTY, d, v), data: encodeJson(pane('minute', start, d, v, share, i)) });
  }
  for (let start = end - hours * HOUR; start < end; start += HOUR) {
    for (let i = 0; i < HOUR_PANES; i++) for (const [d, v, share] of COHORTS) out.push({ subject: subjects.aggregate(topology, 'hour', PROPERTY, d, v), data: encodeJson(pane('hour', start, d, v, share, i)) });
  }
  for (let i = 0; i < VIEWERS; i++) {
    const at = Math.floor(end - random() * hours * HOUR);
    const metrics = { startup_time_ms: 800, started: true, exited_before_start: false, start_failed: false, playback_failed: false, watch_time_ms: 600_000, playing_time_ms: 590_000, rebuffer_count: 1, rebuffer_duration_ms: 2000, rebuffer_percentage: 0.0033, weighted_average_bitrate_bps: 2_500_000, max_upscale: 0, average_upscale: 0 };
    const context = { cdn: CDNS[i % CDNS.length]!, viewer_id: `viewer-${i}`, video_id: `vod-${i % 50}`, player_name: 'hls.js', player_version: '1.7.4' };
    const view: ViewSnapshot = { v: 1, view_id: `view-${i}`, property_id: PROPERTY, status: 'completed', revision: 1, context, first_event_at: at - 600_000, last_event_at: at, last_received_at: at, last_seq: 100, metrics };
    const score: ScoredView = { v: 1, view_id: view.view_id, property_id: PROPERTY, kind: 'final', revision: 1, score_version: 'sightline-qoe/1', scored_at_event_time: at, context, metrics, scores: { overall: 40 + random() * 60, playback_success: 100, startup_time: 90, smoothness: 90, video_quality: 80 } };
    out.push({ subject: subjects.viewCompleted(topology, i % 8), data: encodeJson(view) }, { subject: subjects.score(topology, 'final', i % 8), data: encodeJson(score) });
  }
  await publishAll(conn, out);
  return { ns, end, messages: out.length };
}

function quantiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return quantiles(samples);
}

async function main(): Promise<void> {
  const conn = await connectJetStream({ servers: natsUrl(), name: 'console-bench' });
  const rows: Record<string, unknown>[] = [];
  const spaces: string[] = [];
  try {
    for (const hours of [1, 24]) {
      const started = Date.now();
      const { ns, end, messages } = await prepare(conn, hours);
      spaces.push(ns);
      process.stderr.write(`console-bench: ${messages} messages for ${hours} h published in ${Date.now() - started} ms\n`);
      const console = await ServiceProcess.start('console', { NATS_URL: natsUrl(), SIGHTLINE_NAMESPACE: ns, SIGHTLINE_PARTITIONS: '8', CONSOLE_READ_TOKENS: `${TOKEN}=*` }, 60_000);
      try {
        for (let deadline = Date.now() + 120_000; !(await fetch(`${console.url}/readyz`).then((r) => r.ok, () => false)); ) {
          if (Date.now() > deadline) throw new Error('the console did not get ready');
          await new Promise((r) => setTimeout(r, 200));
        }
        const from = end - hours * HOUR;
        const granularity = hours > 6 ? 'hour' : 'minute';
        const topology = createTopology(ns, 8);
        const stream = streams(topology).aggregates.name;
        const http = (path: string) => async () => {
          const r = await fetch(`${console.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
          if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
          await r.json();
        };
        const bare = (filterSubject: string, startTime: number) => async () => {
          const snapshot = await conn.readSnapshot({ stream, filterSubject, from: { startTime } });
          for (const m of snapshot.messages) m.json();
        };
        const range = `property=${PROPERTY}&from=${from}&to=${end}`;
        const queries: [string, () => Promise<unknown>, (() => Promise<unknown>) | null][] = [
          // The overview reads its range and the period before it.
          ['overview', http(`/v1/overview?${range}`), bare(subjects.aggregate(topology, granularity, PROPERTY, 'all', 'all'), from - hours * HOUR)],
          ['series (4 metrics, minutes)', http(`/v1/series?${range}&granularity=minute&metric=plays,concurrent_viewers,startup_time_p95_ms,rebuffer_percentage`), bare(subjects.aggregate(topology, 'minute', PROPERTY, 'all', 'all'), from)],
          ['breakdown by cdn', http(`/v1/breakdown?${range}&dimension=cdn&sort=rebuffer_percentage`), bare(`${ns}.v1.aggregates.${granularity}.${PROPERTY}.cdn.*`, from)],
          ['breakdown by country', http(`/v1/breakdown?${range}&dimension=country`), bare(`${ns}.v1.aggregates.${granularity}.${PROPERTY}.country.*`, from)],
          ['views, worst first', http(`/v1/views?${range}&sort=worst&limit=50`), async () => {
            const snapshot = await conn.readSnapshot({ stream: streams(topology).views.name, from: 'start' });
            for (const m of snapshot.messages) m.json();
          }],
        ];
        for (const [name, query, baseline] of queries) {
          const api = await time(query);
          const raw = baseline ? await time(baseline) : null;
          rows.push({ hours, query: name, api_p50_ms: +api.p50.toFixed(1), api_p99_ms: +api.p99.toFixed(1), bare_p50_ms: raw ? +raw.p50.toFixed(1) : null, bare_p99_ms: raw ? +raw.p99.toFixed(1) : null });
        }
      } finally {
        await console.stop();
      }
    }
  } finally {
    for (const ns of spaces) await deleteNamespace(conn, ns);
    await conn.drain();
  }
  process.stdout.write(`${JSON.stringify({ viewers: VIEWERS, runs: RUNS, rows }, null, 2)}\n\n`);
  process.stdout.write('| data | query | console p50 / p99 ms | bare JetStream read p50 / p99 ms |\n|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${String(r.hours)} h | ${String(r.query)} | ${String(r.api_p50_ms)} / ${String(r.api_p99_ms)} | ${r.bare_p50_ms === null ? '-' : `${String(r.bare_p50_ms)} / ${String(r.bare_p99_ms)}`} |\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`console-bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
