#!/usr/bin/env node
// `npm start`: installs what is missing, starts the local Kafka and registry, provisions the
// pipeline's topics and plays a sample through them (tools/demo/demo.ts). The stack keeps running
// for exploration; `npm run stack:down` stops exactly what was started.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, repoRoot } from '../ensure-deps.mjs';

ensureDependencies();
const up = spawnSync(process.execPath, [join(repoRoot, 'tools/local-stack/stack.mjs'), 'up'], {
  stdio: 'inherit',
});
if (up.status !== 0) process.exit(up.status ?? 1);

const demo = spawnSync(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'tools/demo/demo.ts')], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tools/demo/tsconfig.json') },
});
process.exit(demo.status ?? 1);
