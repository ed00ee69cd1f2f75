const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('alert-rules', __dirname);
