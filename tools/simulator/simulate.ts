// `npm run simulate -- --scenario <file> [--ingest URL] [--key KEY] [--truth FILE] [--viewers N] [--seed N]`:
// plays a scenario's simulated viewer fleet against a running ingest in real time, prints
// progress every 5 s, and writes the ground truth of its incidents (when they ran, which views
// they hit) to --truth (default .sightline/ground-truth.json).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FleetRunner, loadTraces, parseScenario, percentile, ScenarioError } from '@sightline/simulator';

function main(): void {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'tools/demo/scenario.json' },
      ingest: { type: 'string', default: process.env.INGEST_URL ?? 'http://127.0.0.1:8081' },
      key: { type: 'string', default: process.env.SIGHTLINE_KEY ?? 'demo-key' },
      truth: { type: 'string', default: '.sightline/ground-truth.json' },
      viewers: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  let scenario;
  try {
    const file = JSON.parse(readFileSync(values.scenario!, 'utf8')) as Record<string, unknown>;
    if (values.viewers) file.viewers = Number(values.viewers);
    if (values.seed) file.seed = Number(values.seed);
    scenario = parseScenario(file);
  } catch (error) {
    const reason = error instanceof ScenarioError || error instanceof SyntaxError ? error.message : String(error);
    process.stderr.write(`simulate: ${values.scenario}: ${reason}\n`);
    process.exit(2);
  }
  const runner = new FleetRunner({ ingestUrl: values.ingest!, key: values.key!, scenario, traces: loadTraces() });
  const log = (line: string) => process.stdout.write(`[simulate] ${line}\n`);
  log(`${scenario.viewers} viewers for ${scenario.duration_s} s against ${values.ingest} (seed ${scenario.seed}, ${scenario.incidents.length} incidents)`);
  const progress = setInterval(() => {
    const s = runner.stats;
    log(
      `views ${s.viewsStarted} started / ${s.viewsEnded} ended | beacons ${s.beaconsAccepted} accepted, ${s.retries} retried, ${s.beaconsDropped} dropped | events ${s.eventsAccepted} | p50 ${percentile(s.latencies, 50)?.toFixed(1)} ms${s.lastError ? ` | last error: ${s.lastError}` : ''}`,
    );
  }, 5000);
  const writeTruth = () => {
    mkdirSync(path.dirname(values.truth!), { recursive: true });
    writeFileSync(values.truth!, `${JSON.stringify(runner.groundTruth(), null, 2)}\n`);
  };
  process.once('SIGINT', () => runner.stop());
  process.once('SIGTERM', () => runner.stop());
  runner.start().then(
    (stats) => {
      clearInterval(progress);
      writeTruth();
      log(`done: ${stats.viewsStarted} views, ${stats.beaconsAccepted} beacons, ${stats.eventsAccepted} events accepted; ground truth in ${values.truth}`);
    },
    (error: unknown) => {
      clearInterval(progress);
      process.stderr.write(`simulate: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

main();
