const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('platform-e2e', __dirname);
