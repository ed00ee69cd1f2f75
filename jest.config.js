// One Jest run over every project, so `npm test` prints a single summary.
const { readdirSync, existsSync } = require('node:fs');
const path = require('node:path');

const projects = ['apps', 'libs'].flatMap((group) =>
  readdirSync(path.join(__dirname, group))
    .map((name) => path.join(__dirname, group, name))
    .filter((dir) => existsSync(path.join(dir, 'jest.config.js'))),
);

module.exports = {
  projects,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
};
