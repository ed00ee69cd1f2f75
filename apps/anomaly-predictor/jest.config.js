const { projectJestConfig } = require('../../jest.preset');

module.exports = projectJestConfig('anomaly-predictor', __dirname);
