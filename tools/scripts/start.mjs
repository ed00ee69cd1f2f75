// `npm start`: the whole platform in this terminal (see platform.mjs), and a demo page where
// hls.js plays a locally made stream with the web SDK on it (player-demo.mjs). Ctrl-C stops it.
import { runPlatform } from './platform.mjs';

const demoPage = `http://127.0.0.1:${process.env.SIGHTLINE_DEMO_PAGE_PORT ?? 8090}/pages/demo.html`;

await runPlatform({
  label: 'npm start',
  extra: [{ name: 'player', command: 'node tools/scripts/player-demo.mjs', readyUrl: demoPage }],
  readyNote: `open the demo player at ${demoPage} and watch your view arrive with \`npm run watch -- views\``,
});
