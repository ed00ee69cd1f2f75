// Set-up shared by `npm start` and `npm test`: dependencies, then NATS and Redis. Uses only
// Node's built-ins, since it runs before dependencies are installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stateDir = path.join(root, '.sightline');

export function log(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing dependencies (npm ci)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci failed; see the output above');
}

/** Debian packages the browser tests and the demo page use: the binary each provides, and what it is for. */
const SYSTEM_PACKAGES = {
  chromium: { binary: 'chromium', purpose: 'the web SDK tests drive it with playwright-core' },
  ffmpeg: { binary: 'ffmpeg', purpose: 'the SDK tests and the demo page make their HLS/DASH content with it' },
};

/**
 * Installs the Debian packages that are missing (apt-get, when running as root on a machine that
 * has it); otherwise says what to install. Returns the names of those still missing: what needs
 * them is skipped and says so.
 */
export function ensureSystemPackages(names = Object.keys(SYSTEM_PACKAGES)) {
  let missing = names.filter((name) => !findBinary(SYSTEM_PACKAGES[name].binary));
  if (missing.length === 0) return [];
  const apt = findBinary('apt-get');
  if (apt && process.getuid?.() === 0 && process.env.SIGHTLINE_NO_APT !== '1') {
    log(`installing ${missing.join(', ')} from Debian's packages (${missing.map((n) => SYSTEM_PACKAGES[n].purpose).join('; ')})...`);
    spawnSync(apt, ['update', '-qq'], { stdio: 'inherit' });
    const result = spawnSync(apt, ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) log(`apt-get install ${missing.join(' ')} failed (exit ${result.status})`);
    missing = missing.filter((name) => !findBinary(SYSTEM_PACKAGES[name].binary));
  }
  for (const name of missing) log(`${name} is not installed (${SYSTEM_PACKAGES[name].purpose}): apt-get install ${name}`);
  return missing;
}

function reachable(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitReachable(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await reachable(host, port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function findBinary(name) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin']) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const SERVICES = {
  nats: {
    env: 'NATS_URL',
    defaultUrl: 'nats://127.0.0.1:4222',
    binary: 'nats-server',
    install: 'apt-get install nats-server (Debian/Ubuntu) or https://nats.io/download',
    args: (port, dir) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
  },
  redis: {
    env: 'REDIS_URL',
    defaultUrl: 'redis://127.0.0.1:6379',
    binary: 'redis-server',
    install: 'apt-get install redis-server',
    args: (port, dir) => ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
  },
};

/**
 * Makes sure a service answers at its URL. A configured URL must answer; without one, the
 * loopback default is used, and started from the local binary when nothing listens there.
 * Returns the child process it started, if any, so the caller can stop it.
 */
export async function ensureService(kind) {
  const spec = SERVICES[kind];
  const configured = process.env[spec.env];
  const url = new URL(configured || spec.defaultUrl);
  const host = url.hostname;
  const port = Number(url.port);
  if (await reachable(host, port)) {
    log(`${kind}: using ${url.href}`);
    return undefined;
  }
  if (configured) throw new Error(`${kind}: nothing answers at ${spec.env}=${configured}`);
  const binary = findBinary(spec.binary);
  if (!binary) {
    throw new Error(
      `${kind}: nothing answers at ${url.href} and ${spec.binary} is not installed.\n` +
        `  Install it (${spec.install}), set ${spec.env}, or start the stack with:\n` +
        '    docker compose -f infra/docker-compose.yml up -d nats redis',
    );
  }
  const dataDir = path.join(stateDir, kind);
  mkdirSync(dataDir, { recursive: true });
  const logFd = openSync(path.join(stateDir, `${kind}.log`), 'a');
  log(`${kind}: starting ${binary} on ${host}:${port} (data in .sightline/${kind}, log in .sightline/${kind}.log)`);
  const child = spawn(binary, spec.args(port, dataDir), { stdio: ['ignore', logFd, logFd] });
  if (!(await waitReachable(host, port, 10_000))) {
    child.kill('SIGKILL');
    throw new Error(`${kind}: ${binary} did not start; see .sightline/${kind}.log`);
  }
  return child;
}

/** Stops what ensureService started. */
export async function stopStarted(children) {
  await Promise.all(
    children.filter(Boolean).map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
}
