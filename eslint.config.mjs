import { builtinModules } from 'node:module';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';

/**
 * The architecture, as lint enforces it (docs/architecture.md). Every project has one `type:`
 * and one `scope:` tag in its project.json.
 * - type: apps use libs, never each other; only the e2e project starts apps (as processes);
 *   domain libs are plain TypeScript (no framework, no I/O client, no Node built-in);
 *   contracts depend on nothing of ours; messaging on contracts; service-kit (Nest) on both.
 * - scope: a service's own libs (`scope:<service>`) serve that service only; `scope:shared`
 *   libs serve everyone and use only `scope:shared`; each app is a scope of its own;
 *   `tools/` (`scope:tools`: benchmarks, evaluations, the CLI) may use every lib.
 * - test-support (type:testing) is for tests: spec, int-spec and fixture files, the e2e project
 *   and tools/; never a service's production code.
 * - `@nats-io/*` only in libs/messaging (the port) and libs/test-support.
 * - browser code (type:browser, the web SDK) imports nothing: no lib, no npm package.
 * - no import cycle between files.
 */

// The boundary rule reads Nx's project graph from its cache and skips all its checks, with no
// more than a line on stdout, when there is none (a fresh clone, before any `nx` command).
// Computing the graph here makes every ESLint run, `npx eslint <file>` included, check against
// the project.json files as they are.
process.env.NX_DAEMON ??= 'false';
const graph = await createProjectGraphAsync({ exitOnError: false });
const projects = Object.values(graph.nodes).map(({ name, data }) => ({ name, root: data.root, type: data.projectType, tags: data.tags ?? [] }));

for (const project of projects) {
  for (const prefix of ['type:', 'scope:']) {
    const count = project.tags.filter((tag) => tag.startsWith(prefix)).length;
    if (count !== 1) {
      throw new Error(`${project.root}/project.json: needs exactly one "${prefix}" tag, has ${count} (tags: ${project.tags.join(', ') || 'none'})`);
    }
  }
}
const scopeOf = (project) => project.tags.find((tag) => tag.startsWith('scope:'));
const apps = projects.filter((project) => project.tags.includes('type:app'));
for (const app of apps) {
  const sharing = apps.filter((other) => other !== app && scopeOf(other) === scopeOf(app));
  if (sharing.length > 0) throw new Error(`${app.root}/project.json: ${scopeOf(app)} is also the scope of ${sharing.map((other) => other.root).join(', ')}; each app is a scope of its own`);
}

const SHARED = 'scope:shared';
const TOOLS = 'scope:tools';
const serviceScopes = [...new Set(projects.map(scopeOf))].filter((scope) => scope !== SHARED && scope !== TOOLS).sort();
const scopeConstraints = [
  { sourceTag: SHARED, onlyDependOnLibsWithTags: [SHARED] },
  ...serviceScopes.map((scope) => ({ sourceTag: scope, onlyDependOnLibsWithTags: [scope, SHARED] })),
  { sourceTag: TOOLS, onlyDependOnLibsWithTags: ['*'] },
];

const NATS = '@nats-io/*';
const FRAMEWORK_AND_IO = ['@nestjs/*', NATS, 'fastify', 'ioredis', 'bullmq', 'mongodb', 'prom-client', 'pino', 'undici', 'testcontainers'];

/** What each type may depend on, for production code (`tests: false`) or tests. */
function typeConstraints({ tests }) {
  const testing = tests ? ['type:testing'] : [];
  const natsBan = [NATS];
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:messaging', 'type:domain', 'type:contracts', 'type:util', ...testing], bannedExternalImports: natsBan },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:messaging', 'type:contracts', 'type:util', 'type:tooling'], bannedExternalImports: natsBan },
    // The simulator and tools/: no framework; the simulator is a load generator, so HTTP
    // clients (undici) and files are its business.
    {
      sourceTag: 'type:tooling',
      onlyDependOnLibsWithTags: ['type:tooling', 'type:domain', 'type:messaging', 'type:contracts', 'type:util', 'type:testing'],
      bannedExternalImports: ['@nestjs/*', ...natsBan],
    },
    { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:messaging', 'type:contracts', 'type:util', ...testing], bannedExternalImports: natsBan },
    { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', ...testing] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts'] },
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', ...testing], bannedExternalImports: FRAMEWORK_AND_IO },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [...testing], bannedExternalImports: FRAMEWORK_AND_IO },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: [...testing], bannedExternalImports: ['@nestjs/*', NATS] },
    // Browser code (the web SDK) ships to every page that plays video: no runtime dependency at
    // all, not even a player (adapters type the player APIs they use structurally).
    { sourceTag: 'type:browser', onlyDependOnLibsWithTags: [...testing], bannedExternalImports: tests ? [] : ['*'] },
  ];
}

function boundaries(kind) {
  return {
    '@nx/enforce-module-boundaries': [
      'error',
      { enforceBuildableLibDependency: false, allow: [], depConstraints: [...typeConstraints(kind), ...scopeConstraints] },
    ],
  };
}

const SOURCES = ['apps/**/*.ts', 'libs/**/*.ts', 'tools/**/*.ts', 'tools/**/*.mjs'];
const TESTS = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.fixture.ts'];

const domainRoots = projects.filter((project) => project.tags.includes('type:domain')).map((project) => project.root);
const NOT_IN_DOMAIN = 'Domain libs are plain TypeScript: Node built-ins are the platform, which an app passes in through a port';

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx/**', '.sightline/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: SOURCES,
    rules: {
      ...boundaries({ tests: false }),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: TESTS, rules: boundaries({ tests: true }) },
  {
    // Production code of domain libs (their tests may use Node, e.g. node:crypto as a reference).
    files: domainRoots.map((root) => `${root}/**/*.ts`),
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: NOT_IN_DOMAIN })),
          patterns: [{ group: ['node:*'], message: NOT_IN_DOMAIN }],
        },
      ],
    },
  },
  {
    files: SOURCES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.cjs', 'jest.config.js', 'jest.preset.js', '**/jest.config.js', 'tools/jest/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
