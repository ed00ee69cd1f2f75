// Runs the whole platform in this terminal with prefixed logs: installs what is missing, finds or
// starts NATS and Redis, builds, starts every service (and any extra commands), and stops them
// all cleanly on Ctrl-C. Used by `npm start` and `npm run demo`.
import { ensureDependencies, ensureService, log, root, stopStarted } from './setup.mjs';

export const SERVICES = [
  { name: 'ingest', port: 8081 },
  { name: 'sessionizer', port: 8082 },
  { name: 'qoe-scorer', port: 8083 },
  { name: 'anomaly-predictor', port: 8084 },
  { name: 'alerting', port: 8085 },
  { name: 'projector', port: 8086 },
  { name: 'console', port: 8087 },
];

export const CONSOLE_URL = `http://127.0.0.1:8087`;

/**
 * Development tokens of the console, used when CONSOLE_READ_TOKENS / CONSOLE_ADMIN_TOKEN are not
 * set: for `npm start` on one's own machine (the console listens on 127.0.0.1). README names them.
 */
const DEV_CONSOLE_TOKENS = { CONSOLE_READ_TOKENS: 'sightline-dev-read=demo', CONSOLE_ADMIN_TOKEN: 'sightline-dev-admin' };

/**
 * @param {{ extra?: { name: string, command: string, readyUrl?: string }[], env?: Record<string, string>, label: string, readyNote?: string }} options
 *   `readyUrl`: the start-up line waits for it to answer 200 too; `readyNote` ends that line.
 */
export async function runPlatform({ extra = [], env: ownEnv = {}, label, readyNote }) {
  const env = { ...Object.fromEntries(Object.entries(DEV_CONSOLE_TOKENS).filter(([name]) => !process.env[name])), ...ownEnv };
  try {
    ensureDependencies();
    const started = [await ensureService('nats'), await ensureService('redis')];
    const { build } = await import('./build.mjs');
    const { files, ms } = await build();
    log(`built ${files} files in ${ms} ms; starting ${SERVICES.length} services${extra.length ? ` and ${extra.map((e) => e.name).join(', ')}` : ''} (Ctrl-C stops them)`);
    const { default: concurrently } = await import('concurrently');
    const { result } = concurrently(
      [...SERVICES.map(({ name }) => ({ name, command: `node dist/apps/${name}/src/main.js`, env })), ...extra.map(({ name, command }) => ({ name, command, env }))],
      { cwd: root, prefix: '{name}', prefixColors: ['cyan', 'green', 'yellow', 'magenta', 'blue', 'white', 'gray'], killOthersOn: ['failure'], padPrefix: true },
    );
    const finish = async (code) => {
      await stopStarted(started);
      process.exit(code);
    };
    let stopping = false;
    process.on('SIGINT', () => {
      stopping = true;
      log('stopping...');
    });
    void announceReady(() => stopping, extra.filter((e) => e.readyUrl), readyNote);
    result.then(
      () => finish(0),
      () => finish(1),
    );
  } catch (error) {
    process.stderr.write(`${label}: ${error.message}\n`);
    process.exit(1);
  }
}

/** Services whose `/readyz` (and extra commands whose `readyUrl`) do not answer 200 yet. */
async function notReady(extra) {
  const checks = [...SERVICES.map(({ name, port }) => ({ name, url: `http://127.0.0.1:${port}/readyz` })), ...extra.map(({ name, readyUrl }) => ({ name, url: readyUrl }))];
  const answers = await Promise.all(checks.map(({ url }) => fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false)));
  return checks.filter((_, i) => !answers[i]).map((s) => s.name);
}

/** Waits until every service is ready, then says so in one line (or, after two minutes, which are not). */
async function announceReady(stopping, extra, readyNote) {
  const deadline = Date.now() + 120_000;
  for (let waiting = await notReady(extra); !stopping(); waiting = await notReady(extra)) {
    if (waiting.length === 0) {
      const ingest = SERVICES.find((s) => s.name === 'ingest');
      log(
        `Sightline is ready: open the console at ${CONSOLE_URL} (sign in with the development token of the README); all ${SERVICES.length} services answer /readyz; ` +
          `send beacons to http://127.0.0.1:${ingest.port}/v1/beacons?key=demo-key, watch with \`npm run watch -- alerts\` (ports 8081-8087: /healthz, /readyz, /metrics)${readyNote ? `; ${readyNote}` : ''}`,
      );
      return;
    }
    if (Date.now() > deadline) {
      log(`not ready after 2 minutes: ${waiting.join(', ')} (see their logs above)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
