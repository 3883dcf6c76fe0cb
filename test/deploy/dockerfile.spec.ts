// deploy/docker/Dockerfile and .dockerignore, checked statically (no Docker engine here): the
// stages, the runtime hardening the Kubernetes manifests rely on, and a build context that holds
// what `nx build` needs and nothing it must not.
import { existsSync, readdirSync } from 'node:fs';
import { readRepoFile, repoPath } from './support/repo';

const dockerfile = readRepoFile('deploy/docker/Dockerfile');
/** Instructions with line continuations joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length > 0 && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>(
  (all, line) =>
    line.startsWith('FROM ')
      ? [...all, [line]]
      : all.length
        ? [...all.slice(0, -1), [...all.at(-1)!, line]]
        : all,
  [],
);
const stage = (name: string): string[] => stages.find((lines) => lines[0]!.endsWith(` AS ${name}`)) ?? [];

/** .dockerignore semantics for the patterns used there: `**` spans directories, a match excludes the subtree. */
function ignored(path: string): boolean {
  const patterns = readRepoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return patterns.some((pattern) => {
    const regex = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '<globstar>')
      .replace(/\*/g, '[^/]*')
      .replace(/<globstar>/g, '(?:.*/)?');
    return new RegExp(`^${regex}(?:/.*)?$`).test(path);
  });
}

describe('deploy/docker/Dockerfile', () => {
  it('builds on node:20 slim with npm ci and nx build of the APP argument', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(stages.map((lines) => lines[0])).toEqual([
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${NODE_IMAGE} AS deps',
      'FROM ${NODE_IMAGE} AS runtime',
    ]);
    expect(stage('build')).toEqual(expect.arrayContaining(['RUN npm ci --no-audit --no-fund', 'ARG APP']));
    expect(stage('build').some((line) => line.includes('npx nx build "${APP}"'))).toBe(true);
  });

  it('installs only the production dependencies of the generated package.json', () => {
    const deps = stage('deps');
    expect(deps).toContain(
      'COPY --from=build /repo/dist/apps/${APP}/package.json /repo/dist/apps/${APP}/package-lock.json ./',
    );
    expect(deps.some((line) => line.startsWith('RUN npm ci --omit=dev --ignore-scripts'))).toBe(true);
    expect(readRepoFile('tools/build/webpack.app.js')).toMatch(/generatePackageJson: true/);
  });

  it('applies the npm patches before the build and ships every patched package', () => {
    const build = stage('build');
    const patches = readdirSync(repoPath('patches')).filter((name) => name.endsWith('.patch'));
    expect(patches).toEqual(['fastify+5.11.3.patch', 'kafkajs+2.2.4.patch']);
    const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['postinstall']).toMatch(/^patch-package\b/);
    // The patches must be in place when npm ci runs its postinstall.
    expect(build.indexOf('COPY patches ./patches')).toBeGreaterThan(-1);
    expect(build.indexOf('COPY patches ./patches')).toBeLessThan(
      build.indexOf('RUN npm ci --no-audit --no-fund'),
    );
    // The deps stage installs with --ignore-scripts, so it takes each patched package from the build
    // stage, after checking it is the version just installed.
    const deps = stage('deps');
    for (const patch of patches) {
      const name = patch.slice(0, patch.lastIndexOf('+'));
      expect(deps).toContain(`COPY --from=build /repo/node_modules/${name} /tmp/patched/${name}`);
    }
    const replace = deps.find((line) => line.startsWith('RUN') && line.includes('/tmp/patched'));
    expect(replace).toMatch(/cmp "node_modules\/\$name\/package\.json" "\$patched\/package\.json"/);
    expect(replace).toMatch(/\|\| exit 1/);
  });

  it('runs as uid 10001 with HOME and the npm cache in /tmp, stops on SIGTERM and starts node main.js', () => {
    const runtime = stage('runtime');
    expect(runtime).toContain('USER 10001:10001');
    expect(runtime.find((line) => line.startsWith('ENV '))).toMatch(
      /HOME=\/tmp .*npm_config_cache=\/tmp\/\.npm/,
    );
    expect(runtime).toContain('STOPSIGNAL SIGTERM');
    expect(runtime.at(-1)).toBe('CMD ["node", "main.js"]');
    expect(runtime.filter((line) => /^RUN .*npm (ci|install)/.test(line))).toEqual([]);
  });

  it('ships the default extraction config and a healthcheck that exist in the repository', () => {
    expect(stage('runtime')).toContain('COPY --from=build /repo/config ./config');
    expect(existsSync(repoPath('deploy/docker/healthcheck.js'))).toBe(true);
    expect(
      stage('runtime').some(
        (line) => line.startsWith('HEALTHCHECK ') && line.includes('/usr/local/lib/healthcheck.js'),
      ),
    ).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps what nx build needs in the context', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'nx.json',
      'tsconfig.base.json',
      'apps/ingest/src/main.ts',
      'libs/contracts/src/index.ts',
      'tools/build/webpack.app.js',
      'config/entity-definitions.json',
      'deploy/docker/healthcheck.js',
      'patches/kafkajs+2.2.4.patch',
      'patches/fastify+5.11.3.patch',
    ];
    expect(needed.filter(ignored)).toEqual([]);
  });

  it('keeps installed modules, build output, local stack data and secrets out', () => {
    const excluded = [
      'node_modules/kafkajs/index.js',
      'libs/config/node_modules/x',
      'dist/apps/ingest/main.js',
      '.local-stack/data/kafka/log',
      '.git/HEAD',
      'apps/ingest/.env',
      'reports/bench/ingest.json',
    ];
    expect(excluded.filter((path) => !ignored(path))).toEqual([]);
  });
});
