const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('view-metrics', __dirname);
