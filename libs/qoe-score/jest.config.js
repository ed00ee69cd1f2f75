const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('qoe-score', __dirname);
