// Bundles the console's dashboard (apps/console/web: Preact, htm, uPlot) with esbuild into
// dist/apps/console/web/: app.js and app.css (with their source maps) and index.html, which the
// console service serves at `/` and `/assets/`.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const web = path.join(root, 'apps/console/web');
export const consoleWebOutDir = path.join(root, 'dist/apps/console/web');

export async function buildConsoleWeb() {
  await mkdir(consoleWebOutDir, { recursive: true });
  await build({
    entryPoints: { app: path.join(web, 'src/app.ts') },
    outdir: consoleWebOutDir,
    bundle: true,
    minify: true,
    sourcemap: true,
    target: 'es2020',
    platform: 'browser',
    format: 'iife',
    legalComments: 'linked',
    logLevel: 'silent',
  });
  await copyFile(path.join(web, 'index.html'), path.join(consoleWebOutDir, 'index.html'));
}
