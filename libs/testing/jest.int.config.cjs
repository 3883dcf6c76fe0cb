module.exports = {
  ...require('../../jest.preset.js').integrationConfig(__dirname, 'testing'),
  testTimeout: 300_000,
};
