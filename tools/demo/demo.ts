// The console of `npm run demo`: waits for the platform, plays the simulated fleet of
// tools/demo/scenario.json against ingest, and prints what the platform makes of it: completed
// views, final scores, anomalies, and every alert, matched against the injected incidents.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTopology, subjects, type Alert, type ScoredView } from '@sightline/contracts';
import { connectJetStream } from '@sightline/messaging';
import { describeCohort, FleetRunner, incidentOf, loadTraces, parseScenario, percentile } from '@sightline/simulator';

const root = path.resolve(__dirname, '../../..');
const PORTS = { ingest: 8081, sessionizer: 8082, 'qoe-scorer': 8083, 'anomaly-predictor': 8084, alerting: 8085 };
const say = (line: string) => process.stdout.write(`${line}\n`);

async function waitForPlatform(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const [name, port] of Object.entries(PORTS)) {
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`${name} is not ready on port ${port} after 2 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main(): Promise<void> {
  const scenarioFile = process.env.DEMO_SCENARIO ?? path.join(root, 'tools/demo/scenario.json');
  const scenario = parseScenario(JSON.parse(readFileSync(scenarioFile, 'utf8')));
  await waitForPlatform();
  const topology = createTopology(process.env.SIGHTLINE_NAMESPACE || 'sightline', 8);
  const connection = await connectJetStream({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222', name: 'sightline-demo' });
  const runner = new FleetRunner({ ingestUrl: 'http://127.0.0.1:8081', key: 'demo-key', scenario, traces: loadTraces() });
  const truth = () => runner.groundTruth();
  const started = Date.now();
  const since = (at: number) => `${Math.round((at - started) / 1000)} s`;

  say(`\nSightline demo: ${scenario.viewers} simulated viewers for ${scenario.duration_s / 60} min, on real 3G network traces.`);
  for (const i of scenario.incidents) say(`  incident "${i.id}": ${i.kind} for ${describeCohort(i.cohort)} from ${i.start_s} s to ${i.end_s} s`);
  say('Every 15 s a status line; each alert as it fires. Open the console at http://127.0.0.1:8087 to see them live (Overview, Breakdown, Views, Alerts); watch the raw streams with `npm run watch -- alerts`.\n');

  let completed = 0;
  const scores: number[] = [];
  let anomalies = 0;
  let alerts = 0;
  const firstAlert = new Map<string, number>();
  connection.subscribe(subjects.viewsCompletedAll(topology), () => void completed++);
  connection.subscribe(subjects.scoresFinalAll(topology), (msg) => {
    const overall = msg.json<ScoredView>().scores.overall;
    if (overall !== null) scores.push(overall);
  });
  connection.subscribe(subjects.anomaliesAll(topology), () => void anomalies++);
  connection.subscribe(subjects.alert(topology, 'firing'), (msg) => {
    const alert = msg.json<Alert>();
    alerts++;
    const incident = incidentOf(alert, truth().incidents);
    if (incident && !firstAlert.has(incident.id)) {
      firstAlert.set(incident.id, Date.now());
      say(`>>> ALERT for injected incident "${incident.id}" (${incident.kind}), ${Math.round((Date.now() - incident.start_at) / 1000)} s after it began:`);
    }
    say(`    [${since(Date.now())}] ${alert.severity.toUpperCase()} ${alert.summary} | cohort ${describeCohort(alert.cohort)}${incident ? ` | matches "${incident.id}"` : ''}`);
  });

  const status = setInterval(() => {
    const s = runner.stats;
    const recent = scores.splice(0);
    const mean = recent.length ? (recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(1) : '-';
    say(
      `[${since(Date.now())}] viewers: ${s.viewsStarted - s.viewsEnded} watching, ${s.viewsStarted} views | ingest: ${s.eventsAccepted} events, p50 ${percentile(s.latencies, 50)?.toFixed(1) ?? '-'} ms | views completed: ${completed} | mean score (last 15 s): ${mean} | anomalies: ${anomalies} | alerts: ${alerts}`,
    );
  }, 15_000);

  let interrupted = false;
  const stop = () => {
    interrupted = true;
    runner.stop();
    clearInterval(status);
    void connection.drain().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runner.start();
  if (interrupted) return;
  say(`\nThe fleet is done: ${runner.stats.viewsStarted} views, ${runner.stats.eventsAccepted} events accepted.`);
  for (const incident of truth().incidents) {
    const at = firstAlert.get(incident.id);
    say(`  "${incident.id}": hit ${incident.views_affected} views; ${at ? `first alert ${Math.round((at - incident.start_at) / 1000)} s after it began` : 'no alert matched it'}`);
  }
  say('The platform keeps running; Ctrl-C stops it.');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
