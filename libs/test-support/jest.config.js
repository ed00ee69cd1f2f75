const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('test-support', __dirname);
