const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('projector', __dirname);
