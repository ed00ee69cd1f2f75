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
];

/**
 * @param {{ extra?: { name: string, command: string }[], env?: Record<string, string>, label: string }} options
 */
export async function runPlatform({ extra = [], env = {}, label }) {
  try {
    ensureDependencies();
    const started = [await ensureService('nats'), await ensureService('redis')];
    const { build } = await import('./build.mjs');
    const { files, ms } = await build();
    log(`built ${files} files in ${ms} ms; starting ${SERVICES.length} services${extra.length ? ` and ${extra.map((e) => e.name).join(', ')}` : ''} (Ctrl-C stops them)`);
    const { default: concurrently } = await import('concurrently');
    const { result } = concurrently(
      [...SERVICES.map(({ name }) => ({ name, command: `node dist/apps/${name}/src/main.js`, env })), ...extra.map((e) => ({ ...e, env }))],
      { cwd: root, prefix: '{name}', prefixColors: ['cyan', 'green', 'yellow', 'magenta', 'blue', 'white'], killOthersOn: ['failure'], padPrefix: true },
    );
    const finish = async (code) => {
      await stopStarted(started);
      process.exit(code);
    };
    process.on('SIGINT', () => log('stopping...'));
    result.then(
      () => finish(0),
      () => finish(1),
    );
  } catch (error) {
    process.stderr.write(`${label}: ${error.message}\n`);
    process.exit(1);
  }
}
