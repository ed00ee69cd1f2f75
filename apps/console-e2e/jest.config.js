const path = require('node:path');
const { projectJestConfig } = require('../../jest.preset');

module.exports = {
  ...projectJestConfig('console-e2e', __dirname),
  // The services run from dist/ as they do in production: build once, before any test file.
  globalSetup: path.join(__dirname, '../platform-e2e/build-workspace.js'),
};
