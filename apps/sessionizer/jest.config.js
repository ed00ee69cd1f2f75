const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('sessionizer', __dirname);
