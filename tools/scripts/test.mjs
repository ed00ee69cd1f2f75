// `npm test`: installs what is missing, finds or starts NATS and Redis, then runs the type
// check, the lint (module boundaries included) and every Jest test, and ends with the line
// `N passed, N failed[, N skipped]`. Extra arguments go to Jest (e.g. `npm test -- libs/qoe-score`).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies, ensureService, ensureSystemPackages, log, root, stopStarted } from './setup.mjs';

const summaryFile = path.join(root, '.sightline', 'test-summary.json');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, command, args, env = {}) {
  log(`${label}: ${[path.basename(command), ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

let started = [];
let exitCode = 1;
try {
  ensureDependencies();
  ensureSystemPackages();
  started = [await ensureService('nats'), await ensureService('redis')];
  const checks = [
    ['typecheck', run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])],
    // The web SDK is browser code (DOM types, no Node): its own configuration, sources and tests.
    ['typecheck:sdk', run('typecheck:sdk', bin('tsc'), ['-p', 'libs/sdk-web/tsconfig.spec.json', '--noEmit'])],
    // The console's dashboard is browser code too (DOM types, bundled by esbuild).
    ['typecheck:console-web', run('typecheck:console-web', bin('tsc'), ['-p', 'apps/console/web/tsconfig.json'])],
  ];
  // eslint.config.mjs computes Nx's project graph, which the module-boundary rule reads.
  checks.push(['lint', run('lint', bin('eslint'), ['--max-warnings=0', '.'])]);
  rmSync(summaryFile, { force: true });
  const jestOk = run('jest', bin('jest'), ['--maxWorkers=2', ...process.argv.slice(2)], {
    SIGHTLINE_TEST_SUMMARY: summaryFile,
  });
  let summary = { passed: 0, failed: 1, skipped: 0 };
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  } catch {
    log('jest wrote no summary: counted as one failure');
  }
  const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
  const passed = summary.passed + checks.length - failedChecks.length;
  const failed = summary.failed + failedChecks.length + (jestOk || summary.failed > 0 ? 0 : 1);
  if (failedChecks.length > 0) log(`failed checks: ${failedChecks.join(', ')}`);
  log(`the counts include ${checks.length} checks (${checks.map(([n]) => n).join(', ')}) besides the Jest tests`);
  process.stdout.write(`${passed} passed, ${failed} failed${summary.skipped > 0 ? `, ${summary.skipped} skipped` : ''}\n`);
  exitCode = failed === 0 ? 0 : 1;
} catch (error) {
  process.stderr.write(`npm test: ${error.message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
} finally {
  await stopStarted(started);
}
process.exit(exitCode);
