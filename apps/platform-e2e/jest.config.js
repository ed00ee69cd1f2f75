const path = require('node:path');
const { projectJestConfig } = require('../../jest.preset');

module.exports = {
  ...projectJestConfig('platform-e2e', __dirname),
  // The services run from dist/ as they do in production: build once, before any test file.
  globalSetup: path.join(__dirname, 'build-workspace.js'),
};
