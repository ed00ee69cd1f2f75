const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('messaging', __dirname);
