const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('predictions', __dirname);
