// One Jest run over every project, so `npm test` prints a single summary.
const { readdirSync, existsSync } = require('node:fs');
const path = require('node:path');
const { projectJestConfig } = require('./jest.preset');

const projects = ['apps', 'libs'].flatMap((group) =>
  readdirSync(path.join(__dirname, group))
    .map((name) => path.join(__dirname, group, name))
    .filter((dir) => existsSync(path.join(dir, 'jest.config.js'))),
);

const { transform, moduleNameMapper } = projectJestConfig('root', __dirname);

module.exports = {
  projects,
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/test-support/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/test-support/src/jest/global-teardown.ts',
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
};
