const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('console', __dirname);
