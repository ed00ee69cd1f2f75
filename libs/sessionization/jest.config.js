const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('sessionization', __dirname);
