// `npm start`: the whole platform in this terminal (see platform.mjs). Ctrl-C stops it.
import { runPlatform } from './platform.mjs';

await runPlatform({ label: 'npm start' });
