#!/usr/bin/env node
// `npm start`: installs what is missing, starts the local Kafka and registry if they are not up,
// then runs the whole-pipeline demo (tools/demo/demo.ts). Ctrl-C stops exactly what was started:
// the services, the simulators and, if this run started it, the Kafka stack.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, repoRoot } from '../ensure-deps.mjs';

ensureDependencies();
const stack = (command) =>
  spawnSync(process.execPath, [join(repoRoot, 'tools/local-stack/stack.mjs'), command], { stdio: 'inherit' });
const wasUp =
  spawnSync(process.execPath, [join(repoRoot, 'tools/local-stack/stack.mjs'), 'status'], { stdio: 'ignore' })
    .status === 0;
const up = stack('up');
if (up.status !== 0) process.exit(up.status ?? 1);

const demo = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'tools/demo/demo.ts')], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tools/demo/tsconfig.json') },
});
// Ctrl-C reaches the demo too (same process group); it stops its services, then we stop the stack.
process.on('SIGINT', () => undefined);
demo.on('exit', (code) => {
  if (!wasUp && process.env.DEMO_KEEP_STACK !== '1') stack('down');
  process.exit(code ?? 1);
});
