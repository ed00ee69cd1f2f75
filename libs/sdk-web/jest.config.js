const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('sdk-web', __dirname);
