import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const here = path.resolve(__dirname, '../../..');
/** The workspace, whether this file runs from source (tests) or compiled into dist/ (benchmarks). */
const workspaceRoot = path.basename(here) === 'dist' ? path.dirname(here) : here;

/**
 * A service running as its own process from dist/, exactly as `npm start` runs it. Its JSON log
 * lines are kept for assertions and for the failure message when it does not start.
 */
export class ServiceProcess {
  readonly logs: string[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(name: string, env: Record<string, string>, timeoutMs = 20_000): Promise<ServiceProcess> {
    return ServiceProcess.startScript(`dist/apps/${name}/src/main.js`, name, env, timeoutMs);
  }

  /**
   * Runs a compiled script (path relative to the workspace) that prints a JSON line with
   * `"msg":"service started"` once it is ready.
   */
  static startScript(script: string, name: string, env: Record<string, string>, timeoutMs = 20_000): Promise<ServiceProcess> {
    const entry = path.join(workspaceRoot, script);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { ...process.env, HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${logs.join('\n')}`));
      }, timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it started:\n${logs.join('\n')}`));
      });
      createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        logs.push(line);
        if (!line.includes('"service started"')) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        const service = new ServiceProcess(name, child, (JSON.parse(line) as { url: string }).url);
        service.logs.push(...logs);
        logs.length = 0;
        createInterface({ input: child.stdout! }).on('line', (l) => service.logs.push(l));
        resolve(service);
      });
    });
  }

  /** Process id, to read its CPU and memory from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM: the service stops pulling, finishes what it holds and exits. */
  stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  kill(): Promise<number | null> {
    return this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}
