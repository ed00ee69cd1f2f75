const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('console-queries', __dirname);
