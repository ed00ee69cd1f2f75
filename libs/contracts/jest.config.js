const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('contracts', __dirname);
