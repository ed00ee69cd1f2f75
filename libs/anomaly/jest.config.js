const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('anomaly', __dirname);
