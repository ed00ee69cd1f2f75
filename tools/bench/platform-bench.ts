// `npm run bench:platform`: the whole platform on this machine under a rising load of simulated
// viewers (real network traces, SDK-style beacons over HTTP), in a namespace of its own.
// Reports per load step: events/s accepted, whether the pipeline kept up (backlog per stage),
// HTTP latency, latency from ingest to the view update, CPU and memory per service; the time
// from an injected incident to its alert; and the raw JetStream publish ceiling for the same
// payloads, measured in the same run. Writes JSON and a markdown report to .sightline/bench/.
// Options: BENCH_STEPS (viewers per step, "2500,5000,7500,10000,12500,15000"), BENCH_STEP_SECONDS (40), NATS_URL.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTopology, subjects, type Alert, type CohortAggregate, type ViewSnapshot } from '@sightline/contracts';
import { connectJetStream, ensureStreams } from '@sightline/messaging';
import { beaconsOf, FleetPlan, FleetRunner, incidentOf, loadTraces, parseScenario, percentile, type Scenario } from '@sightline/simulator';
import { deleteNamespace, deleteStreams, redisUrl, ServiceProcess } from '@sightline/test-support';
import { rawPublishRate } from './raw-publish';

/** The raw ceiling's stream keeps messages as long as the events stream does (the services' default, 168 h). */
const RAW_CEILING_MAX_AGE_MS = 168 * 3600 * 1000;

const NATS = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const STEPS = (process.env.BENCH_STEPS ?? '2500,5000,7500,10000,12500,15000').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 40);
/** The first part of a step is its ramp and start-up burst; figures come from the rest. */
const SETTLE_SECONDS = Math.min(15, STEP_SECONDS / 3);
const SERVICES = ['ingest', 'sessionizer', 'qoe-scorer', 'anomaly-predictor', 'alerting'] as const;
const root = path.resolve(__dirname, '../../..');
const outDir = path.join(root, '.sightline/bench');
const CLOCK_TICKS = 100;

interface ProcSample {
  readonly cpuSeconds: number;
  readonly rssMb: number;
}

function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds, rssMb: rss ? Number(rss[1]) / 1024 : 0 };
  } catch {
    return undefined;
  }
}

/** Pid of a running process by command name (nats-server, redis-server), if readable. */
function pidOf(command: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) return Number(entry);
    } catch {
      continue;
    }
  }
  return undefined;
}

async function processedBy(service: ServiceProcess): Promise<number> {
  const text = await fetch(`${service.url}/metrics`).then((r) => r.text(), () => '');
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^sightline_messages_processed_total\{[^}]*outcome="(ok|dead)"[^}]*\} (\d+(?:\.\d+)?)/.exec(line);
    if (match) total += Number(match[2]);
  }
  return total;
}

/** The raw ceiling: one client publishing the fleet's own enriched beacons, 1,000 in flight. */
async function rawCeiling(namespace: string, scenario: Scenario, seconds: number): Promise<{ eventsPerSecond: number; messagesPerSecond: number }> {
  const plan = new FleetPlan(scenario, loadTraces(), 'raw', Date.now());
  const payloads: { subject: string; data: string; events: number }[] = [];
  for (let slot = 0; payloads.length < 20_000 && slot < 5000; slot++) {
    const view = plan.view(slot, 0, plan.firstViewAt(slot));
    for (const { beacon } of beaconsOf(view, { intervalS: scenario.beacon_interval_s, maxEvents: 50 })) {
      const enriched = { ...beacon, enrichment: { received_at: Date.now(), property_id: 'bench', ip_prefix: '73.15.1.0/24', country: 'US', asn: 7922, device_type: 'desktop' } };
      payloads.push({ subject: `${namespace}.v1.events.beacon.p${slot % 8}`, data: JSON.stringify(enriched), events: beacon.events.length });
    }
  }
  const connection = await connectJetStream({ servers: NATS, name: 'platform-bench-raw' });
  // A stream of its own, configured like the events stream, so that no service consumes these.
  const rawStream = `${namespace}-rawceiling`;
  await ensureStreams(connection, [{ name: rawStream, subjects: [`${namespace}.v1.rawceiling.>`], description: 'raw publish ceiling' }], { maxAgeMs: RAW_CEILING_MAX_AGE_MS });
  const rate = await rawPublishRate(connection, seconds, (i) => {
    const p = payloads[i % payloads.length]!;
    return { subject: p.subject.replace('.events.', '.rawceiling.'), data: p.data, events: p.events };
  });
  await deleteStreams(connection, [rawStream]);
  await connection.drain();
  return rate;
}

interface StepResult {
  viewers: number;
  eventsPerSecond: number;
  beaconsPerSecond: number;
  httpLatencyMs: { p50: number | null; p99: number | null };
  sendLagMs: { p50: number | null; p99: number | null };
  viewUpdateLatencyMs: { p50: number | null; p99: number | null; samples: number };
  backlog: Record<string, { start: number; end: number }>;
  kept_up: boolean;
  dropped: number;
  cpuCores: Record<string, number>;
  rssMb: Record<string, number>;
}

async function main(): Promise<void> {
  const namespace = `pbench${Date.now().toString(36)}`;
  const topology = createTopology(namespace, 8);
  const connection = await connectJetStream({ servers: NATS, name: 'platform-bench' });
  const services = new Map<string, ServiceProcess>();
  const log = (line: string) => process.stdout.write(`[bench:platform] ${line}\n`);
  const runStarted = Date.now();
  try {
    const env = {
      NATS_URL: NATS,
      REDIS_URL: redisUrl(),
      SIGHTLINE_NAMESPACE: namespace,
      // ServiceProcess waits for the "service started" line, logged at info.
      LOG_LEVEL: 'info',
      INGEST_WORKERS: '1',
      INGEST_PROPERTY_KEYS: 'bench-key=bench',
      INGEST_RATE_LIMIT_PER_SECOND: '1000000',
      INGEST_RATE_LIMIT_BURST: '1000000',
      INGEST_TRUSTED_PROXIES: '127.0.0.1',
    };
    for (const name of SERVICES) services.set(name, await ServiceProcess.startScript(`dist/apps/${name}/src/main.js`, name, { ...env }, 60_000));
    log(`platform up in namespace ${namespace}`);
    const baseScenario = (name: string, viewers: number, seed: number, durationS: number): Scenario =>
      parseScenario({ name, seed, viewers, duration_s: durationS, ramp_s: 5, watch_median_s: 60, beacon_interval_s: 10 });

    const raw = await rawCeiling(namespace, baseScenario('raw', 2000, 1, 60), 8);
    log(`raw JetStream publish ceiling: ${Math.round(raw.eventsPerSecond)} events/s (${Math.round(raw.messagesPerSecond)} beacons/s)`);

    // What the pipeline emits, observed on core subscriptions (counts and view-update latency).
    const published = { views: 0, scores: 0, anomalies: 0 };
    let viewLatencies: number[] = [];
    const alerts: { alert: Alert; receivedAt: number }[] = [];
    connection.subscribe(`${namespace}.v1.views.>`, (msg) => {
      if (msg.subject.includes('.tick.')) return;
      published.views++;
      if (msg.subject.includes('.updated.')) viewLatencies.push(Date.now() - msg.json<ViewSnapshot>().last_received_at);
    });
    // The anomaly-predictor reads final scores only.
    connection.subscribe(subjects.scoresFinalAll(topology), () => void published.scores++);
    connection.subscribe(subjects.anomaliesAll(topology), () => void published.anomalies++);
    connection.subscribe(subjects.alert(topology, 'firing'), (m) => void alerts.push({ alert: m.json<Alert>(), receivedAt: Date.now() }));
    // Minute aggregates of each property as a whole (cohort all): when each pane reaches a subscriber.
    const minutePanes: { key: string; windowEnd: number; timing: CohortAggregate['timing']; receivedAt: number }[] = [];
    connection.subscribe(`${namespace}.v1.aggregates.minute.*.all.all`, (msg) => {
      const pane = msg.json<CohortAggregate>();
      minutePanes.push({ key: `${pane.property_id}@${pane.window_start}`, windowEnd: pane.window_end, timing: pane.timing, receivedAt: Date.now() });
    });

    // A small fleet with an incident runs beside the load: a CDN slows down 20 s in.
    const incidentScenario = parseScenario({
      name: 'incident',
      seed: 7,
      viewers: 200,
      duration_s: STEP_SECONDS * STEPS.length,
      ramp_s: 5,
      watch_median_s: 40,
      incidents: [{ id: 'fastly-slow', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: Math.min(20, (STEP_SECONDS * STEPS.length) / 4), end_s: STEP_SECONDS * STEPS.length, intensity: 0.95 }],
    });
    const traces = loadTraces();
    const incidentFleet = new FleetRunner({ ingestUrl: services.get('ingest')!.url, key: 'bench-key', scenario: incidentScenario, traces, runId: `i${namespace}` });
    const incidentDone = incidentFleet.start();

    const pids: Record<string, number | undefined> = {
      ...Object.fromEntries([...services].map(([name, s]) => [name, s.pid])),
      'nats-server': pidOf('nats-server'),
      'redis-server': pidOf('redis-server'),
      'load generator (this process)': process.pid,
    };
    const steps: StepResult[] = [];
    let beaconsTotal = 0;
    for (const [index, viewers] of STEPS.entries()) {
      const fleet = new FleetRunner({
        ingestUrl: services.get('ingest')!.url,
        key: 'bench-key',
        scenario: baseScenario('load', viewers, 100 + index, STEP_SECONDS),
        traces,
        runId: `s${index}${namespace}`,
        maxInFlight: 512,
      });
      const done = fleet.start();
      await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
      const backlogNow = async () => {
        const accepted = beaconsTotal + fleet.stats.beaconsAccepted + incidentFleet.stats.beaconsAccepted;
        return {
          sessionizer: accepted - (await processedBy(services.get('sessionizer')!)),
          'qoe-scorer': published.views - (await processedBy(services.get('qoe-scorer')!)),
          'anomaly-predictor': published.scores - (await processedBy(services.get('anomaly-predictor')!)),
          alerting: published.anomalies - (await processedBy(services.get('alerting')!)),
        };
      };
      const startBacklog = await backlogNow();
      const cpuStart = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, pid ? readProc(pid) : undefined]));
      const statsStart = { events: fleet.stats.eventsAccepted, beacons: fleet.stats.beaconsAccepted };
      fleet.stats.latencies.splice(0);
      fleet.stats.sendLags.splice(0);
      viewLatencies = [];
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, (STEP_SECONDS - SETTLE_SECONDS) * 1000));
      const elapsed = (performance.now() - t0) / 1000;
      const endBacklog = await backlogNow();
      const cpuEnd = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, pid ? readProc(pid) : undefined]));
      const stepLatencies = [...fleet.stats.latencies];
      const sendLagP50 = percentile(fleet.stats.sendLags, 50) ?? 0;
      const eventsPerSecond = (fleet.stats.eventsAccepted - statsStart.events) / elapsed;
      const stepViewLatencies = viewLatencies;
      fleet.stop();
      await done;
      beaconsTotal += fleet.stats.beaconsAccepted;
      const backlog = Object.fromEntries(Object.keys(startBacklog).map((k) => [k, { start: startBacklog[k as keyof typeof startBacklog], end: endBacklog[k as keyof typeof endBacklog] }]));
      // Kept up: beacons went out on schedule (the load generator and ingest kept pace with the
      // fleet), no stage's backlog grew by more than two seconds of its input, nothing dropped.
      const grewBy = endBacklog.sessionizer - Math.max(0, startBacklog.sessionizer);
      const beaconsPerSecond = (fleet.stats.beaconsAccepted - statsStart.beacons) / elapsed;
      const keptUp = grewBy <= Math.max(50, 2 * beaconsPerSecond) && Object.values(endBacklog).every((b) => b < Math.max(500, 10 * beaconsPerSecond)) && fleet.stats.beaconsDropped === 0 && sendLagP50 < 1000;
      const result: StepResult = {
        viewers,
        eventsPerSecond: Math.round(eventsPerSecond),
        beaconsPerSecond: Math.round(beaconsPerSecond),
        httpLatencyMs: { p50: round(percentile(stepLatencies, 50)), p99: round(percentile(stepLatencies, 99)) },
        sendLagMs: { p50: sendLagP50, p99: percentile(fleet.stats.sendLags, 99) },
        viewUpdateLatencyMs: { p50: percentile(stepViewLatencies, 50), p99: percentile(stepViewLatencies, 99), samples: stepViewLatencies.length },
        backlog: Object.fromEntries(Object.entries(backlog).map(([k, b]) => [k, { start: Math.max(0, b.start), end: Math.max(0, b.end) }])),
        kept_up: keptUp,
        dropped: fleet.stats.beaconsDropped,
        cpuCores: Object.fromEntries(
          Object.keys(pids).map((n) => [n, cpuStart[n] && cpuEnd[n] ? Number(((cpuEnd[n]!.cpuSeconds - cpuStart[n]!.cpuSeconds) / elapsed).toFixed(2)) : -1]),
        ),
        rssMb: Object.fromEntries(Object.keys(pids).map((n) => [n, cpuEnd[n] ? Math.round(cpuEnd[n]!.rssMb) : -1])),
      };
      steps.push(result);
      log(
        `${viewers} viewers: ${result.eventsPerSecond} events/s (${result.beaconsPerSecond} beacons/s), HTTP p50/p99 ${result.httpLatencyMs.p50}/${result.httpLatencyMs.p99} ms, ingest->view update p50/p99 ${result.viewUpdateLatencyMs.p50}/${result.viewUpdateLatencyMs.p99} ms, send lag p50 ${sendLagP50} ms, sessionizer backlog ${Math.max(0, startBacklog.sessionizer)} -> ${Math.max(0, endBacklog.sessionizer)}: ${keptUp ? 'kept up' : 'fell behind'}`,
      );
      if (!keptUp && index > 0 && !steps[index - 1]!.kept_up) break;
    }
    incidentFleet.stop();
    await incidentDone;
    const truth = incidentFleet.groundTruth().incidents[0]!;
    const firstAlert = alerts.filter((a) => incidentOf(a.alert, [truth])).sort((a, b) => a.receivedAt - b.receivedAt)[0];
    const sustained = steps.filter((s) => s.kept_up).sort((a, b) => b.eventsPerSecond - a.eventsPerSecond)[0];
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      durationSeconds: Math.round((Date.now() - runStarted) / 1000),
      rawJetStreamCeiling: { eventsPerSecond: Math.round(raw.eventsPerSecond), beaconsPerSecond: Math.round(raw.messagesPerSecond) },
      sustained: sustained ? { viewers: sustained.viewers, eventsPerSecond: sustained.eventsPerSecond, shareOfRaw: Number((sustained.eventsPerSecond / raw.eventsPerSecond).toFixed(3)) } : null,
      incidentToAlert: {
        incident: `${truth.kind} ${JSON.stringify(truth.cohort)}`,
        viewsAffected: truth.views_affected,
        // From the incident's start to the firing alert reaching a subscriber, wall clock.
        seconds: firstAlert ? Number(((firstAlert.receivedAt - truth.start_at) / 1000).toFixed(1)) : null,
      },
      minuteAggregates: minuteAggregateTiming(minutePanes),
      steps,
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'platform-bench.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(outDir, 'platform-bench.md'), markdown(report));
    process.stdout.write(`${JSON.stringify(report)}\n`);
    log(`report: .sightline/bench/platform-bench.md and .json (${report.durationSeconds} s)`);
  } finally {
    for (const service of services.values()) await service.stop();
    // Each service's warnings and errors, to explain a step that fell behind.
    mkdirSync(outDir, { recursive: true });
    for (const [name, service] of services) {
      const problems = service.logs.filter((line) => /"level":"(warn|error|fatal)"/.test(line));
      writeFileSync(path.join(outDir, `${name}.warnings.log`), problems.length > 0 ? `${problems.join('\n')}\n` : '(none)\n');
    }
    log('warnings and errors of each service: .sightline/bench/<service>.warnings.log');
    await deleteNamespace(connection, namespace);
    await connection.drain();
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Number(value.toFixed(1));
}

function markdown(report: {
  date: string;
  machine: { cpus: number; model?: string; memoryGb: number; node: string };
  durationSeconds: number;
  rawJetStreamCeiling: { eventsPerSecond: number; beaconsPerSecond: number };
  sustained: { viewers: number; eventsPerSecond: number; shareOfRaw: number } | null;
  incidentToAlert: { incident: string; viewsAffected: number; seconds: number | null };
  minuteAggregates: ReturnType<typeof minuteAggregateTiming>;
  steps: StepResult[];
}): string {
  const names = Object.keys(report.steps[0]?.cpuCores ?? {});
  const lines = [
    `# Platform benchmark, ${report.date}`,
    '',
    `Machine: ${report.machine.cpus} CPUs (${report.machine.model}), ${report.machine.memoryGb} GB, Node ${report.machine.node}; run took ${report.durationSeconds} s.`,
    '',
    `- Raw JetStream publish ceiling (same payloads, same run): **${report.rawJetStreamCeiling.eventsPerSecond} events/s** (${report.rawJetStreamCeiling.beaconsPerSecond} beacons/s).`,
    report.sustained
      ? `- Sustained without backlog growth: **${report.sustained.eventsPerSecond} events/s** at ${report.sustained.viewers} viewers (${Math.round(report.sustained.shareOfRaw * 100)}% of raw).`
      : '- No load step was sustained without backlog growth.',
    `- Injected incident (${report.incidentToAlert.incident}, ${report.incidentToAlert.viewsAffected} views) to its first alert: **${report.incidentToAlert.seconds ?? 'no alert'} s**.`,
    report.minuteAggregates.onTimeAfterWindowEndMs.p50 === null
      ? '- Minute aggregates: no on-time pane arrived during the run.'
      : `- Minute aggregates (each property as a whole, ${report.minuteAggregates.windows} windows): the on-time pane arrived **${Math.round(report.minuteAggregates.onTimeAfterWindowEndMs.p50 / 1000)} s** after its minute ended (p50; max ${Math.round(report.minuteAggregates.onTimeAfterWindowEndMs.max! / 1000)} s; the watermark waits 90 s for views to report), early panes every ${Math.round((report.minuteAggregates.earlyPaneIntervalMs.p50 ?? 0) / 1000)} s (p50) while a minute is open.`,
    '',
    '| viewers | events/s | beacons/s | HTTP p50/p99 ms | send lag p50/p99 ms | ingest to view update p50/p99 ms | sessionizer backlog | kept up |',
    '|---|---|---|---|---|---|---|---|',
    ...report.steps.map(
      (s) =>
        `| ${s.viewers} | ${s.eventsPerSecond} | ${s.beaconsPerSecond} | ${s.httpLatencyMs.p50} / ${s.httpLatencyMs.p99} | ${s.sendLagMs.p50} / ${s.sendLagMs.p99} | ${s.viewUpdateLatencyMs.p50} / ${s.viewUpdateLatencyMs.p99} | ${s.backlog.sessionizer?.start} -> ${s.backlog.sessionizer?.end} | ${s.kept_up ? 'yes' : 'no'} |`,
    ),
    '',
    'CPU (cores) and resident memory (MB) per process, over the measured part of each step:',
    '',
    `| viewers | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...report.steps.map((s) => `| ${s.viewers} | ${names.map((n) => `${s.cpuCores[n]} / ${s.rssMb[n]}`).join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:platform: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});

/**
 * How minute aggregates reach a subscriber: per window, the first on-time pane after the window's
 * end; and the gaps between consecutive early panes of one window (how fresh a live dashboard is).
 */
function minuteAggregateTiming(panes: readonly { key: string; windowEnd: number; timing: string; receivedAt: number }[]) {
  const onTime = new Map<string, number>();
  const lastEarly = new Map<string, number>();
  const gaps: number[] = [];
  for (const pane of panes) {
    if (pane.timing === 'on_time' && !onTime.has(pane.key)) onTime.set(pane.key, pane.receivedAt - pane.windowEnd);
    if (pane.timing !== 'early') continue;
    const previous = lastEarly.get(pane.key);
    if (previous !== undefined) gaps.push(pane.receivedAt - previous);
    lastEarly.set(pane.key, pane.receivedAt);
  }
  const delays = [...onTime.values()];
  return {
    windows: delays.length,
    onTimeAfterWindowEndMs: { p50: percentile(delays, 50), max: delays.length > 0 ? Math.max(...delays) : null },
    earlyPaneIntervalMs: { p50: percentile(gaps, 50) },
  };
}
