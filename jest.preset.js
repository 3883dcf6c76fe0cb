// Shared Jest settings for every project: SWC transpiles TypeScript (type errors are the
// `typecheck` target's job, so tests start fast), and Nx's resolver maps the @crm/* paths of
// tsconfig.base.json to library sources.
const { join } = require('node:path');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @param {string} projectRoot absolute path of the project */
function unitConfig(projectRoot, displayName) {
  return {
    displayName,
    rootDir: projectRoot,
    testEnvironment: 'node',
    resolver: '@nx/jest/plugins/resolver',
    moduleFileExtensions: ['ts', 'js', 'json'],
    transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
    testMatch: ['<rootDir>/**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '\\.int-spec\\.ts$'],
    clearMocks: true,
  };
}

/** Integration tier: real local Kafka and registry, started once by the global setup. */
function integrationConfig(projectRoot, displayName) {
  return {
    ...unitConfig(projectRoot, `${displayName}:int`),
    testMatch: ['<rootDir>/**/*.int-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/'],
    globalSetup: join(__dirname, 'libs/testing/jest/global-setup.cjs'),
    setupFilesAfterEnv: [join(__dirname, 'libs/testing/jest/integration-setup.ts')],
    testTimeout: 120_000,
    // A kafkajs client left open by a failed test retries for minutes; the failure is already
    // reported, so do not let it hold the whole tier hostage.
    forceExit: true,
    maxWorkers: 1,
  };
}

module.exports = { unitConfig, integrationConfig, swcOptions };
