const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('read-models', __dirname);
