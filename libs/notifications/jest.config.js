const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('notifications', __dirname);
