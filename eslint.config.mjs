import nx from '@nx/eslint-plugin';

/**
 * Module boundaries (docs/architecture.md):
 * - apps use libs, never each other; only the e2e project starts apps (as processes).
 * - domain libs are plain TypeScript: no framework, no I/O clients.
 * - contracts depend on nothing of ours; messaging on contracts and util (pure policy: backoff); service-kit (Nest) on both.
 * - any project's tests may use the test-support lib (type:testing).
 */
const FRAMEWORK_AND_IO = ['@nestjs/*', '@nats-io/*', 'fastify', 'ioredis', 'bullmq', 'mongodb', 'prom-client', 'pino'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx/**', '.sightline/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts', 'apps/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:messaging', 'type:domain', 'type:contracts', 'type:util', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:messaging', 'type:contracts', 'type:util', 'type:tooling'] },
            // Tools for people and benchmarks (the simulator): contracts in, no framework or broker.
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'], bannedExternalImports: ['@nestjs/*', '@nats-io/*'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:messaging', 'type:contracts', 'type:util', 'type:testing'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:testing'],
              bannedExternalImports: FRAMEWORK_AND_IO,
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:testing'], bannedExternalImports: FRAMEWORK_AND_IO },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:testing'], bannedExternalImports: ['@nestjs/*', '@nats-io/*'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['tools/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.cjs', 'jest.config.js', 'jest.preset.js', '**/jest.config.js', 'tools/jest/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
