module.exports = require('../../jest.preset.js').integrationConfig(__dirname, 'replay');
