// Chaos tier: the real services as processes on a private Kafka and registry (startPrivateStack),
// so killing services and restarting the broker never disturbs the tests that share the local stack.
const { join } = require('node:path');
const { integrationConfig } = require('../../jest.preset.js');

module.exports = {
  ...integrationConfig(__dirname, 'chaos'),
  testMatch: ['<rootDir>/**/*.chaos-spec.ts'],
  // Private stack start-up, the 2,000-conversation run and the drain, with room on a busy box.
  testTimeout: 540_000,
  globalSetup: join(__dirname, '../../libs/testing/jest/global-setup.cjs'),
};
