const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('runtime', __dirname);
