// `npm run eval:anomalies [-- --scenario <file>] [--seed N]`: replays a simulated fleet with injected
// incidents through the real-time path on simulated time (tools/eval/offline-platform.ts) and the
// cohort detector of the anomaly-predictor, then scores the anomalies against the ground truth:
// precision, recall, time to detect and whether the blamed cohort is the incident's.
import { readFileSync } from 'node:fs';
import type { Anomaly } from '@sightline/contracts';
import { CohortDetector, DEFAULT_DETECTOR_OPTIONS } from '@sightline/anomaly';
import { ALERT_GRACE_MS, loadTraces, parseScenario, TITLES, type GroundTruthIncident, type IncidentCohort } from '@sightline/simulator';
import { runOffline } from './offline-platform';

const DEFAULT_SCENARIO = {
  name: 'eval-anomalies',
  seed: 7,
  viewers: 600,
  duration_s: 8100,
  ramp_s: 120,
  watch_median_s: 90,
  live_share: 0.2,
  beacon_interval_s: 10,
  incidents: [
    { id: 'fastly-slow', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: 2400, end_s: 3000, intensity: 0.85 },
    { id: 'telekom-outage', kind: 'asn_outage', cohort: { asn: 3320 }, start_s: 3600, end_s: 4200, intensity: 0.9 },
    { id: 'exoplayer-crash', kind: 'player_version_failing', cohort: { player_version: 'media3-1.5.0' }, start_s: 4800, end_s: 5400, intensity: 0.8 },
    { id: 'cloudfront-origin-errors', kind: 'origin_errors', cohort: { cdn: 'cloudfront' }, start_s: 6000, end_s: 6600, intensity: 0.5 },
    { id: 'akamai-slow', kind: 'cdn_slow', cohort: { cdn: 'akamai' }, start_s: 7200, end_s: 7680, intensity: 0.75 },
  ],
};

/** The anomaly's cohort in the incident's terms (the aggregates name titles; incidents name video ids). */
function asIncidentCohort(cohort: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...cohort };
  if (cohort.video_title !== undefined) {
    const title = TITLES.find((t) => t.title === cohort.video_title);
    if (title) out.video_id = title.id;
    delete out.video_title;
  }
  return out;
}

function matches(anomaly: Anomaly, incident: GroundTruthIncident): boolean {
  if (anomaly.detected_at < incident.start_at || anomaly.detected_at > incident.end_at + ALERT_GRACE_MS) return false;
  const cohort = asIncidentCohort(anomaly.cohort);
  const keys = Object.keys(incident.cohort) as (keyof IncidentCohort)[];
  const shared = keys.filter((k) => cohort[k] !== undefined);
  // A platform-wide anomaly (no cohort) during an incident counts as detecting it, with the wrong cause.
  return shared.length === 0 ? Object.keys(cohort).length === 0 : shared.every((k) => String(incident.cohort[k]) === cohort[k]);
}

const exactCause = (anomaly: Anomaly, incident: GroundTruthIncident): boolean => {
  const cohort = asIncidentCohort(anomaly.cohort);
  const wanted = Object.entries(incident.cohort).map(([k, v]) => [k, String(v)]);
  const extra = Object.keys(cohort).filter((k) => k !== 'player_name' && !(k in incident.cohort));
  return extra.length === 0 && wanted.every(([k, v]) => cohort[k!] === v);
};

function main(): void {
  const at = process.argv.indexOf('--scenario');
  const seedAt = process.argv.indexOf('--seed');
  const file = at > 0 ? (JSON.parse(readFileSync(process.argv[at + 1]!, 'utf8')) as typeof DEFAULT_SCENARIO) : DEFAULT_SCENARIO;
  const scenario = parseScenario(seedAt > 0 ? { ...file, seed: Number(process.argv[seedAt + 1]) } : file);
  const startAt = Date.UTC(2026, 10, 20, 18, 0, 0);
  const detector = CohortDetector.create(DEFAULT_DETECTOR_OPTIONS);
  const anomalies: Anomaly[] = [];
  const started = performance.now();
  const run = runOffline({
    scenario,
    traces: loadTraces(),
    startAt,
    onPane: (pane, now) => anomalies.push(...detector.onAggregate(pane, now)),
  });
  const seconds = (performance.now() - started) / 1000;

  const incidents = run.truth.incidents;
  const matched = anomalies.map((a) => ({ a, incident: incidents.find((i) => matches(a, i)) }));
  const truePositives = matched.filter((m) => m.incident);
  const precision = anomalies.length === 0 ? 0 : truePositives.length / anomalies.length;
  const rows = incidents.map((incident) => {
    const hits = matched.filter((m) => m.incident === incident).map((m) => m.a);
    const first = hits.sort((x, y) => x.detected_at - y.detected_at)[0];
    return {
      incident: incident.id,
      cohort: JSON.stringify(incident.cohort),
      detected: first !== undefined,
      ttd_s: first ? (first.detected_at - incident.start_at) / 1000 : null,
      blamed: first ? JSON.stringify(first.cohort) : '-',
      metric: first?.metric ?? '-',
      right_cause: first ? exactCause(first, incident) : false,
      anomalies: hits.length,
    };
  });
  const detected = rows.filter((r) => r.detected);
  const recall = detected.length / incidents.length;
  const ttds = detected.map((r) => r.ttd_s!).sort((x, y) => x - y);
  const median = ttds.length ? ttds[Math.floor((ttds.length - 1) / 2)]! : null;
  const causes = detected.filter((r) => r.right_cause).length;

  process.stdout.write(`replayed ${run.views} views, ${run.snapshots} snapshots, ${run.panes} panes of ${scenario.duration_s / 60} simulated minutes in ${seconds.toFixed(1)} s\n\n`);
  console.table(rows);
  process.stdout.write('\nfalse positives:\n');
  for (const { a } of matched.filter((m) => !m.incident)) {
    process.stdout.write(`  +${((a.detected_at - startAt) / 60000).toFixed(1)} min ${a.metric} ${JSON.stringify(a.cohort)} ${a.severity}: ${a.summary}\n`);
  }
  process.stdout.write(
    `\nanomalies ${anomalies.length}, true ${truePositives.length}; precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}, ` +
      `median time to detect ${median === null ? '-' : `${median.toFixed(0)} s`}, right cause ${causes}/${detected.length}\n`,
  );
}

main();
