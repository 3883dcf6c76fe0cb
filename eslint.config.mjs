// One flat config for the whole workspace. Module boundaries follow DESIGN.md §3: app → anything;
// data-access → domain|schemas|util; domain → domain|schemas|util; schemas → schemas; util → util;
// testing → anything but apps (it exists to build fixtures and drive the real stack).
import nx from '@nx/eslint-plugin';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const ANY_LIB = ['type:data-access', 'type:domain', 'type:schemas', 'type:util', 'type:testing'];
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ANY_LIB,
  },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:schemas', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:schemas', 'type:util'] },
  { sourceTag: 'type:schemas', onlyDependOnLibsWithTags: ['type:schemas'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ANY_LIB,
  },
];
const boundaries = (constraints) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: false,
    allow: [],
    depConstraints: constraints,
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.nx/**',
      '.local-stack/**',
      'reports/**',
      'tmp/**',
      '**/*.generated.ts',
    ],
  },
  ...nx.configs['flat/base'],
  eslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Domain libraries are plain TypeScript: no framework, no Kafka client, no HTTP.
    files: ['libs/extraction/**/*.ts', 'libs/aggregation/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'kafkajs', 'prom-client', 'fastify', 'undici'] },
      ],
    },
  },
  {
    // Per-request and per-record code. On Node 20 (V8 11.3) an object literal that starts with a
    // spread and then adds properties ({ ...base, id }) survives young-generation GCs: ingest promoted
    // 10.5 MB/s of such garbage, a full GC every 0.6 s, p99 over 40 ms (apps/ingest/README.md,
    // "Allocation"). Name a property first ({ id, ...base }) or list the fields.
    files: [
      'libs/genesys/src/formats/**/*.ts',
      'libs/kafka/core/src/**/*.ts',
      'apps/ingest/src/ingest/**/*.ts',
      'apps/ingest/src/publish/**/*.ts',
      'apps/ingest/src/http/**/*.ts',
    ],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message:
            'A literal that starts with a spread and adds properties after it is promoted to the old generation on Node 20: name a property first ({ id, ...base }) or list the fields (apps/ingest/README.md, "Allocation").',
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: {
      // Tests of any project may use the testing library's fixtures and stack helpers.
      '@nx/enforce-module-boundaries': boundaries(
        depConstraints.map((rule) => ({
          ...rule,
          onlyDependOnLibsWithTags: [...new Set([...rule.onlyDependOnLibsWithTags, 'type:testing'])],
        })),
      ),
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
