const { spawnSync } = require('node:child_process');
const path = require('node:path');

/** Compiles the workspace (services and SDK bundles) to dist/ once per run, so what the browser tests load is current. */
module.exports = function buildWorkspace() {
  const result = spawnSync(process.execPath, [path.join(__dirname, '../../tools/scripts/build.mjs')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
};
