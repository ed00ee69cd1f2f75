// The demo page of `npm start`: makes the test stream with ffmpeg (cached in .sightline/media/,
// shared with the browser tests) and serves a page with hls.js and the Sightline SDK playing it,
// sending its view to the local ingest. Without ffmpeg the page and this log say what to install.
// Runs from dist/ (npm start builds first): the stream maker and the static server are the ones
// the browser tests use (apps/sdk-e2e/src/fixtures/media.ts, server.ts).
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './setup.mjs';

// The compiled fixtures (CommonJS in dist/), not the sources: this script runs without a TypeScript loader.
const compiled = (name) => createRequire(import.meta.url)(path.join(root, 'dist', 'apps', 'sdk-e2e', 'src', 'fixtures', `${name}.js`));
const { ensureMedia, ffmpegMissing } = compiled('media');
const { TestServer } = compiled('server');

const DEMO_PAGE_PORT = Number(process.env.SIGHTLINE_DEMO_PAGE_PORT ?? 8090);

const mounts = {};
const missing = ffmpegMissing();
if (missing) {
  console.log(`no demo stream: ${missing} (the page says so)`);
} else {
  const media = await ensureMedia();
  mounts['/media/'] = media.dir;
  console.log(media.generatedInMs > 0 ? `made the demo stream in ${media.generatedInMs} ms: ${media.dir}` : `demo stream: ${media.dir}`);
}
const server = await TestServer.start(mounts, { port: DEMO_PAGE_PORT });
console.log(`demo page: ${server.url('/pages/demo.html')}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop().then(() => process.exit(0)));
