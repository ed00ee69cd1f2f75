// Compiles every app and lib (and the TypeScript tools) to dist/ with SWC: decorator metadata
// for Nest, `@sightline/*` imports rewritten to relative paths. Type checking is `npm run typecheck`.
// Then bundles the web SDK with esbuild into dist/sdk-web/ (build-sdk.mjs) and the console's
// dashboard into dist/apps/console/web/ (build-console.mjs).
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsoleWeb } from './build-console.mjs';
import { buildSdk } from './build-sdk.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'dist');
const consoleWeb = path.join(root, 'apps/console/web');
const { compilerOptions } = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8'));

async function* sources(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // The dashboard is browser code, bundled by esbuild instead (build-console.mjs).
      if (entry.name !== 'node_modules' && full !== consoleWeb) yield* sources(full);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !/\.(int-spec|spec|fixture)\.ts$/.test(entry.name)) {
      yield full;
    }
  }
}

export async function build() {
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  const files = [];
  for (const top of ['apps', 'libs', 'tools']) {
    for await (const file of sources(path.join(root, top))) files.push(file);
  }
  await Promise.all(
    files.map(async (file) => {
      const { code, map } = await transformFile(file, {
        swcrc: false,
        sourceMaps: true,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
          baseUrl: root,
          paths: compilerOptions.paths,
        },
        module: { type: 'commonjs', resolveFully: true },
      });
      const target = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      if (map) await writeFile(`${target}.map`, map);
    }),
  );
  const sdk = await buildSdk();
  await buildConsoleWeb();
  return { files: files.length, bundles: sdk.bundles, ms: Date.now() - started };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, bundles, ms } = await build();
  console.log(`built ${files} files and ${bundles} SDK bundles into dist/ in ${ms} ms`);
}
