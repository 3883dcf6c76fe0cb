// End-to-end tier: the real services as processes, on the real local Kafka and registry, with the
// CRM simulator. One pipeline per test file (started in beforeAll), tests run in sequence.
const { join } = require('node:path');
const { integrationConfig } = require('../../jest.preset.js');

module.exports = {
  ...integrationConfig(__dirname, 'e2e'),
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  testTimeout: 180_000,
  globalSetup: join(__dirname, '../../libs/testing/jest/global-setup.cjs'),
};
