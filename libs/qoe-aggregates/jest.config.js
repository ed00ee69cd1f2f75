const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('qoe-aggregates', __dirname);
