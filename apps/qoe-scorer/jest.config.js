const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('qoe-scorer', __dirname);
