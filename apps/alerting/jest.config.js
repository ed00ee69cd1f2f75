const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('alerting', __dirname);
