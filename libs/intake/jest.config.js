const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('intake', __dirname);
