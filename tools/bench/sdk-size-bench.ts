// `npm run bench:sdk-size`: the gzipped size (zlib level 9) of each web SDK bundle that
// `npm run build` wrote to dist/sdk-web/ (the core and each adapter, script-tag and ES module
// builds), against the budgets of issue 17 (core at most 8 KB, each adapter at most 2 KB, judged
// on the script-tag build), beside mux-embed, installed from npm into a temporary directory for
// this run only (MUX_EMBED_VERSION, default 5.19.0). Prints a table and a JSON line; exits 1 when
// a bundle is over its budget.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '../../..');
const SDK_DIR = path.join(ROOT, 'dist/sdk-web');
const MUX_VERSION = process.env.MUX_EMBED_VERSION ?? '5.19.0';
const CORE_BUDGET = 8 * 1024;
const ADAPTER_BUDGET = 2 * 1024;

interface Row {
  name: string;
  script_bytes: number;
  script_gzip: number;
  module_gzip: number | null;
  budget: number | null;
  within: boolean | null;
}

const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function sdkRows(): Row[] {
  if (!existsSync(path.join(SDK_DIR, 'sightline.js'))) {
    throw new Error(`no ${path.join(SDK_DIR, 'sightline.js')}: run \`npm run build\` first (npm run bench:sdk-size does)`);
  }
  const names = readdirSync(SDK_DIR)
    .filter((f) => /^sightline(-[a-zA-Z0-9]+)?\.js$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort((a, b) => (a === 'sightline' ? -1 : b === 'sightline' ? 1 : a.localeCompare(b)));
  return names.map((name) => {
    const script = path.join(SDK_DIR, `${name}.js`);
    const module = path.join(SDK_DIR, `${name}.mjs`);
    // The CMCD helper is not an adapter: it has no budget of its own.
    const budget = name === 'sightline' ? CORE_BUDGET : name === 'sightline-cmcd' ? null : ADAPTER_BUDGET;
    const size = gzipped(script);
    return {
      name: name === 'sightline' ? 'core (sightline)' : name,
      script_bytes: readFileSync(script).length,
      script_gzip: size,
      module_gzip: existsSync(module) ? gzipped(module) : null,
      budget,
      within: budget === null ? null : size <= budget,
    };
  });
}

function muxRow(): Row {
  const dir = mkdtempSync(path.join(tmpdir(), 'sightline-mux-'));
  try {
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `mux-embed@${MUX_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    const dist = path.join(dir, 'node_modules/mux-embed/dist');
    return {
      name: `mux-embed ${MUX_VERSION}`,
      script_bytes: readFileSync(path.join(dist, 'mux.js')).length,
      script_gzip: gzipped(path.join(dist, 'mux.js')),
      module_gzip: existsSync(path.join(dist, 'mux.mjs')) ? gzipped(path.join(dist, 'mux.mjs')) : null,
      budget: null,
      within: null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const rows = sdkRows();
  let mux: Row | undefined;
  try {
    mux = muxRow();
  } catch (error) {
    console.error(`mux-embed@${MUX_VERSION} could not be installed from npm (${(error as Error).message}); its row is left out`);
  }
  const kb = (n: number | null) => (n === null ? '-' : `${(n / 1024).toFixed(2)} KB`);
  const all = mux ? [...rows, mux] : rows;
  console.log(['bundle'.padEnd(24), 'minified'.padStart(11), 'gzip (.js)'.padStart(11), 'gzip (.mjs)'.padStart(12), 'budget'.padStart(9), '  result'].join(''));
  for (const r of all) {
    const verdict = r.within === null ? '' : r.within ? '  within' : '  OVER BUDGET';
    const ofMux = mux && r !== mux ? ` (${((100 * r.script_gzip) / mux.script_gzip).toFixed(0)}% of mux-embed)` : '';
    console.log([r.name.padEnd(24), kb(r.script_bytes).padStart(11), kb(r.script_gzip).padStart(11), kb(r.module_gzip).padStart(12), kb(r.budget).padStart(9), verdict, ofMux].join(''));
  }
  console.log(JSON.stringify({ bench: 'sdk-size', gzip_level: 9, bundles: rows, mux_embed: mux ?? null }));
  if (rows.some((r) => r.within === false)) process.exitCode = 1;
}

main();
