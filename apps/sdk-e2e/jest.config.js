const path = require('node:path');
const { projectJestConfig } = require('../../jest.preset');

module.exports = {
  ...projectJestConfig('sdk-e2e', __dirname),
  // The services run from dist/ and the pages load the SDK bundles from dist/sdk-web: build once, before any test file.
  globalSetup: path.join(__dirname, 'build-workspace.js'),
};
