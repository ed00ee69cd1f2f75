const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('ingest', __dirname);
