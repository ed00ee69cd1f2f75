const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('simulator', __dirname);
