// Bundles the web SDK (libs/sdk-web) with esbuild into dist/sdk-web/: the core as an ES module
// (sightline.mjs) and a script-tag build (sightline.js, global `sightline`), and one pair per
// adapter in libs/sdk-web/src/adapters/*.ts and for src/cmcd.ts (sightline-<name>.mjs / .js, the
// script-tag build registering itself as `sightline.<name>`). All minified.
import { build } from 'esbuild';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'libs/sdk-web/src');
export const sdkOutDir = path.join(root, 'dist/sdk-web');

const common = { bundle: true, minify: true, target: 'es2020', platform: 'browser', legalComments: 'none', logLevel: 'silent' };
const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

async function exists(file) {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The modules besides the core: each adapter, and the CMCD helper when it is there. */
async function extras() {
  const out = [];
  const adapters = path.join(src, 'adapters');
  const entries = await readdir(adapters).catch(() => []);
  for (const entry of entries.sort()) {
    if (entry.endsWith('.ts') && !/\.(spec|int-spec|test|d)\.ts$/.test(entry)) {
      out.push({ name: camel(entry.slice(0, -3)), file: path.join(adapters, entry) });
    }
  }
  if (await exists(path.join(src, 'cmcd.ts'))) out.push({ name: 'cmcd', file: path.join(src, 'cmcd.ts') });
  return out;
}

/** A script-tag entry: the module's exports put on the `sightline` global (created if missing). */
function scriptEntry(file, register) {
  return {
    contents: `import * as m from ${JSON.stringify(file)};\nconst g = (globalThis.sightline = globalThis.sightline || {});\n${register}`,
    resolveDir: src,
    loader: 'ts',
  };
}

export async function buildSdk() {
  const started = Date.now();
  await mkdir(sdkOutDir, { recursive: true });
  const core = path.join(src, 'index.ts');
  const jobs = [
    build({ ...common, entryPoints: [core], format: 'esm', outfile: path.join(sdkOutDir, 'sightline.mjs') }),
    build({ ...common, stdin: scriptEntry(core, 'Object.assign(g, m);'), format: 'iife', outfile: path.join(sdkOutDir, 'sightline.js') }),
  ];
  const modules = await extras();
  for (const { name, file } of modules) {
    // An adapter file exports its factory under its own name (hlsjs.ts: `hlsjs`); a module without one registers all its exports.
    const register = `g[${JSON.stringify(name)}] = typeof m[${JSON.stringify(name)}] === 'function' ? m[${JSON.stringify(name)}] : Object.assign({}, m);`;
    jobs.push(
      build({ ...common, entryPoints: [file], format: 'esm', outfile: path.join(sdkOutDir, `sightline-${name}.mjs`) }),
      build({ ...common, stdin: scriptEntry(file, register), format: 'iife', outfile: path.join(sdkOutDir, `sightline-${name}.js`) }),
    );
  }
  await Promise.all(jobs);
  return { bundles: jobs.length, modules: modules.map((m) => m.name), ms: Date.now() - started };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bundles, modules, ms } = await buildSdk();
  console.log(`built ${bundles} SDK bundles (core${modules.map((m) => `, ${m}`).join('')}) into dist/sdk-web/ in ${ms} ms`);
}
