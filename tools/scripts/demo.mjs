// `npm run demo`: the whole platform plus a simulated viewer fleet with injected incidents
// (tools/demo/scenario.json), and a console that shows views, scores, anomalies and alerts as
// they appear, each alert matched against the incidents. Ctrl-C stops everything.
import { runPlatform } from './platform.mjs';

await runPlatform({
  label: 'npm run demo',
  // The fleet sends each viewer's real-world address in X-Forwarded-For, as a load balancer would.
  env: { INGEST_TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  extra: [{ name: 'demo', command: 'node dist/tools/demo/demo.js' }],
});
