// `npm start`: installs what is missing, finds or starts NATS and Redis, builds, and runs every
// service in this terminal with prefixed logs. Ctrl-C stops them all cleanly.
import { ensureDependencies, ensureService, log, root, stopStarted } from './setup.mjs';

export const SERVICES = [
  { name: 'ingest', port: 8081 },
  { name: 'sessionizer', port: 8082 },
  { name: 'qoe-scorer', port: 8083 },
  { name: 'anomaly-predictor', port: 8084 },
  { name: 'alerting', port: 8085 },
];

try {
  ensureDependencies();
  const started = [await ensureService('nats'), await ensureService('redis')];
  const { build } = await import('./build.mjs');
  const { files, ms } = await build();
  log(`built ${files} files in ${ms} ms; starting ${SERVICES.length} services (Ctrl-C stops them)`);
  const { default: concurrently } = await import('concurrently');
  const { result } = concurrently(
    SERVICES.map(({ name }) => ({ name, command: `node dist/apps/${name}/src/main.js` })),
    { cwd: root, prefix: '{name}', prefixColors: ['cyan', 'green', 'yellow', 'magenta', 'blue'], killOthersOn: ['failure'], padPrefix: true },
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
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(1);
}
