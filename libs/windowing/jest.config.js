const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('windowing', __dirname);
