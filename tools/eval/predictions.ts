// `node dist/tools/eval/predictions.js [--seed N] [--viewers N] [--duration S]`: prequential
// evaluation of the prediction models on a simulated fleet, without NATS. Each view goes through
// the real sessionizer logic and QoE scorer (so the model learns exactly what `recordOf` sees of a
// final score); in time order, each view is predicted at its start from the model as it is then,
// progress predictions are made at every beacon of a playing view, and the view is learned when
// it completes. Model against a naive baseline (the running global figure), deterministic by seed.
import { parseArgs } from 'node:util';
import type { EventBatch, PredictionContext, ScoredView, ViewSnapshot } from '@sightline/contracts';
import { contextOf, emptyModel, learn, predictProgress, predictStart, recordOf, START_BITRATE_SAFETY, type TrainingRecord } from '@sightline/predictions';
import { scoreView } from '@sightline/qoe-score';
import { beaconsOf, FleetPlan, loadTraces, parseScenario, type SimulatedView } from '@sightline/simulator';
import { onBatch, snapshotOf, type ViewState } from '@sightline/sessionization';

const START = Date.parse('2026-11-25T12:00:00Z');
const HORIZON_MS = 30_000;

/** A fleet with two incidents: a slow CDN for a quarter of an hour, an ISP outage later. */
function scenario(seed: number, viewers: number, durationS: number) {
  return parseScenario({
    name: 'predict-eval',
    seed,
    viewers,
    duration_s: durationS,
    ramp_s: 60,
    watch_median_s: 60,
    live_share: 0.2,
    incidents: [
      { id: 'fastly-slow', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: durationS * 0.25, end_s: durationS * 0.6, intensity: 0.85 },
      { id: 'jio-outage', kind: 'asn_outage', cohort: { asn: 55836 }, start_s: durationS * 0.5, end_s: durationS * 0.75, intensity: 0.6 },
    ],
  });
}

interface Checkpoint {
  readonly at: number;
  readonly progress: ViewSnapshot['metrics'];
  /** A stall began within the horizon. */
  readonly stalledSoon: boolean;
}

interface PlayedView {
  readonly view: SimulatedView;
  readonly scored: ScoredView;
  readonly record: TrainingRecord;
  readonly context: PredictionContext;
  readonly completedAt: number;
  readonly checkpoints: Checkpoint[];
}

/** A simulated view as the platform sees it: its beacons through the sessionizer, its final snapshot scored. */
function play(view: SimulatedView): PlayedView {
  const p = view.profile;
  const enrichment = { property_id: 'eval', country: p.network.country, asn: p.network.asn, device_type: p.device.kind };
  const stallStarts = view.events.filter((e) => e.type === 'rebufferstart').map((e) => e.ts);
  let state: ViewState | undefined;
  let completed: ViewSnapshot | undefined;
  let completedAt = view.endAt;
  const checkpoints: Checkpoint[] = [];
  for (const { sendAt, beacon } of beaconsOf(view, { intervalS: 10, maxEvents: 50 })) {
    const batch: EventBatch = { v: 1, view_id: beacon.view_id, ...(beacon.context ? { context: beacon.context } : {}), enrichment: { received_at: sendAt, ...enrichment }, events: beacon.events };
    const step = onBatch(state, batch);
    state = step.state;
    if (step.output.completed) {
      completed = step.output.completed;
      completedAt = sendAt;
      break;
    }
    const live = snapshotOf(state);
    // Only a playing view with a known future (it lasts the horizon, or stalls within it) is a fair test.
    const stalledSoon = stallStarts.some((t) => t > sendAt && t <= sendAt + HORIZON_MS);
    if (live.metrics.started && (stalledSoon || view.endAt >= sendAt + HORIZON_MS)) checkpoints.push({ at: sendAt, progress: live.metrics, stalledSoon });
  }
  if (!completed) throw new Error(`view ${view.viewId} did not complete`);
  const scored = scoreView(completed);
  return { view, scored, record: recordOf(scored), context: contextOf(scored), completedAt, checkpoints };
}

function fleet(seed: number, viewers: number, durationS: number): PlayedView[] {
  const plan = new FleetPlan(scenario(seed, viewers, durationS), loadTraces(), `s${seed}`, START);
  const views: PlayedView[] = [];
  for (let slot = 0; slot < viewers; slot++) {
    let at: number | undefined = plan.firstViewAt(slot);
    for (let k = 0; at !== undefined; k++) {
      const view = plan.view(slot, k, at);
      views.push(play(view));
      at = plan.nextViewAt(slot, k, view);
    }
  }
  return views;
}

/** The running global figures: what a dashboard's "overall" number would predict. */
class Naive {
  views = 0;
  ebvs = 0;
  started = 0;
  stalled = 0;
  stalls = 0;
  minutes = 0;
  startups = 0;
  logStartup = 0;
  throughputs = 0;
  logThroughput = 0;
  learn({ outcome: o }: TrainingRecord): void {
    this.views++;
    if (o.exited_before_start) this.ebvs++;
    if (o.started) {
      this.started++;
      if (o.rebuffer_count > 0) this.stalled++;
      this.stalls += o.rebuffer_count;
      this.minutes += o.watch_time_ms / 60_000;
    }
    if (o.started && o.startup_time_ms !== null) {
      this.startups++;
      this.logStartup += Math.log(Math.max(0.01, o.startup_time_ms / 1000));
    }
    if (o.request_throughput_bps) {
      this.throughputs++;
      this.logThroughput += Math.log(o.request_throughput_bps / 1e6);
    }
  }
  ebvsRisk = () => (this.ebvs + 0.1) / (this.views + 2);
  stallRisk = () => (this.stalled + 0.4) / (this.started + 2);
  logStartupS = () => (this.logStartup + Math.log(2)) / (this.startups + 1);
  startBitrate = () => START_BITRATE_SAFETY * Math.exp((this.logThroughput + Math.log(5)) / (this.throughputs + 1)) * 1e6;
  stallSoon = () => 1 - Math.exp(-((this.stalls + 0.1) / (this.minutes + 1)) * (HORIZON_MS / 60_000));
}

interface Scored {
  readonly p: number;
  readonly y: 0 | 1;
}

function brier(rows: readonly Scored[]): number {
  return rows.reduce((s, r) => s + (r.p - r.y) ** 2, 0) / rows.length;
}

/** Area under the ROC curve (Mann-Whitney, ties counted half). */
function auc(rows: readonly Scored[]): number {
  const sorted = [...rows].sort((a, b) => a.p - b.p);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.p === sorted[i]!.p) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.y === 1) {
        rankSum += rank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  return positives === 0 || negatives === 0 ? Number.NaN : (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Variant {
  readonly name: string;
  model: ReturnType<typeof emptyModel>;
  readonly ebvs: Scored[];
  readonly stall: Scored[];
  readonly stallSoon: Scored[];
  readonly startupError: number[];
  readonly bitrateRatio: number[];
}

function main(): void {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '7' }, viewers: { type: 'string', default: '300' }, duration: { type: 'string', default: '2400' } } });
  const seed = Number(values.seed);
  const viewers = Number(values.viewers);
  const durationS = Number(values.duration);
  const started = performance.now();
  const views = fleet(seed, viewers, durationS);

  type Step = { at: number; order: number; run: () => void };
  const variants: Variant[] = [
    { name: 'model (half-life 30 min)', model: emptyModel(), ebvs: [], stall: [], stallSoon: [], startupError: [], bitrateRatio: [] },
    { name: 'model (no decay)', model: emptyModel({ halfLifeMs: 0 }), ebvs: [], stall: [], stallSoon: [], startupError: [], bitrateRatio: [] },
  ];
  const naive = new Naive();
  const baseline: Variant = { name: 'naive (running global)', model: emptyModel(), ebvs: [], stall: [], stallSoon: [], startupError: [], bitrateRatio: [] };
  const steps: Step[] = [];
  for (const played of views) {
    const { record, context } = played;
    const o = record.outcome;
    const ebvsLabel = o.exited_before_start ? 1 : 0;
    const stallLabel = o.rebuffer_count > 0 ? 1 : 0;
    const logStartup = o.startup_time_ms !== null ? Math.log(Math.max(0.01, o.startup_time_ms / 1000)) : null;
    steps.push({
      at: played.view.startAt,
      order: 1,
      run: () => {
        for (const v of variants) {
          const p = predictStart(v.model, { property_id: 'eval', context });
          v.ebvs.push({ p: p.exit_before_start_risk.value, y: ebvsLabel });
          if (o.started) v.stall.push({ p: p.stall_risk.value, y: stallLabel });
          if (logStartup !== null) v.startupError.push(Math.abs(Math.log(p.startup_time_ms.value / 1000) - logStartup));
          if (o.request_throughput_bps) v.bitrateRatio.push(p.start_bitrate_bps.value / o.request_throughput_bps);
        }
        baseline.ebvs.push({ p: naive.ebvsRisk(), y: ebvsLabel });
        if (o.started) baseline.stall.push({ p: naive.stallRisk(), y: stallLabel });
        if (logStartup !== null) baseline.startupError.push(Math.abs(naive.logStartupS() - logStartup));
        if (o.request_throughput_bps) baseline.bitrateRatio.push(naive.startBitrate() / o.request_throughput_bps);
      },
    });
    for (const c of played.checkpoints) {
      steps.push({
        at: c.at,
        order: 1,
        run: () => {
          const progress = { watch_time_ms: c.progress.watch_time_ms, rebuffer_count: c.progress.rebuffer_count };
          for (const v of variants) {
            v.stallSoon.push({ p: predictProgress(v.model, { property_id: 'eval', context, progress, horizon_ms: HORIZON_MS }).stall_soon_risk.value, y: c.stalledSoon ? 1 : 0 });
          }
          baseline.stallSoon.push({ p: naive.stallSoon(), y: c.stalledSoon ? 1 : 0 });
        },
      });
    }
    steps.push({
      at: played.completedAt,
      order: 0,
      run: () => {
        for (const v of variants) v.model = learn(v.model, record, played.completedAt);
        naive.learn(record);
      },
    });
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) step.run();

  const all = [...variants, baseline];
  const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(12))).join(''));
  const f = (x: number, d = 4) => (Number.isNaN(x) ? 'n/a' : x.toFixed(d));
  const share = (xs: readonly number[], test: (x: number) => boolean) => xs.filter(test).length / xs.length;
  console.log(
    `Prequential evaluation: seed ${seed}, ${viewers} viewers for ${durationS} s, ${views.length} views (` +
      `EBVS ${f(share(views.map((v) => (v.record.outcome.exited_before_start ? 1 : 0)), (x) => x === 1), 3)}, ` +
      `${baseline.stallSoon.length} progress checkpoints), incidents: fastly slow ${durationS * 0.25}-${durationS * 0.6} s, AS55836 outage ${durationS * 0.5}-${durationS * 0.75} s\n`,
  );
  console.log(all.map((v, i) => `[${i + 1}] ${v.name}`).join('   '));
  line(['', ...all.map((_v, i) => `[${i + 1}]`)]);
  line(['EBVS risk: Brier (lower better)', ...all.map((v) => f(brier(v.ebvs)))]);
  line(['EBVS risk: AUC (higher better)', ...all.map((v) => f(auc(v.ebvs)))]);
  line(['stall risk: Brier', ...all.map((v) => f(brier(v.stall)))]);
  line(['stall risk: AUC', ...all.map((v) => f(auc(v.stall)))]);
  line([`stall within ${HORIZON_MS / 1000} s: Brier`, ...all.map((v) => f(brier(v.stallSoon)))]);
  line([`stall within ${HORIZON_MS / 1000} s: AUC`, ...all.map((v) => f(auc(v.stallSoon)))]);
  line(['startup: MAE of ln(seconds)', ...all.map((v) => f(mean(v.startupError), 3))]);
  line(['start bitrate: share > throughput', ...all.map((v) => f(share(v.bitrateRatio, (r) => r > 1), 3))]);
  line(['start bitrate: median / throughput', ...all.map((v) => f(median(v.bitrateRatio), 3))]);
  console.log(`\n(${views.length} views, ${baseline.stall.length} started, ${baseline.startupError.length} with a startup time; ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main();
