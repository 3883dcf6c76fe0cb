#!/usr/bin/env node
// `npm run bench -- <name> [--quick]`: runs one benchmark of test/bench on the local stack (started
// if needed) and leaves its figures in reports/bench/<name>.json (DESIGN.md §9).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, repoRoot } from '../ensure-deps.mjs';

const BENCHES = {
  ingest: 'test/bench/ingest/ingest.bench.mjs',
  extractor: 'test/bench/extractor/extractor.bench.mjs',
  aggregator: 'test/bench/aggregator/aggregator.bench.mjs',
  'crm-writer': 'test/bench/crm-writer/bench.mjs',
  pipeline: 'test/bench/pipeline/pipeline.bench.mjs',
};

const [name, ...rest] = process.argv.slice(2);
if (!name || !Object.hasOwn(BENCHES, name)) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--quick]\n`);
  process.exit(2);
}
ensureDependencies();
if (name === 'aggregator' || name === 'ingest') {
  // These two measure the production bundle.
  const build = spawnSync('npx', ['nx', 'build', name], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const up = spawnSync(process.execPath, [join(repoRoot, 'tools/local-stack/stack.mjs'), 'up'], {
  stdio: 'inherit',
});
if (up.status !== 0) process.exit(up.status ?? 1);
const result = spawnSync(process.execPath, [join(repoRoot, BENCHES[name]), ...rest], {
  cwd: repoRoot,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
