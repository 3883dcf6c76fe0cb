#!/usr/bin/env node
// `npm test`: every tier on the real local stack. Installs dependencies if missing, starts the
// local Kafka and registry if they are not up (and stops them afterwards only if it started them),
// runs lint, typecheck and unit tests, then the integration tier, then the root e2e/chaos tiers
// when present, and prints one summary line with the test counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies, repoRoot } from '../ensure-deps.mjs';

ensureDependencies();

const run = (command, args, options = {}) =>
  spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
const stack = (command) => run(process.execPath, [join(repoRoot, 'tools/local-stack/stack.mjs'), command]);

const reportsDir = join(repoRoot, 'reports', 'jest');
rmSync(reportsDir, { recursive: true, force: true });
mkdirSync(reportsDir, { recursive: true });

const wasUp = stack('status').status === 0;
if (!wasUp && stack('up').status !== 0) {
  process.stderr.write('[test] the local stack did not start; see the [local-stack] error above\n');
  process.exit(1);
}

const nx = (args) => run('npx', ['nx', 'run-many', '--outputStyle=stream', ...args]);
const steps = [
  ['static checks and unit tests', () => nx(['-t', 'lint', 'typecheck', 'test', '--parallel=2'])],
  ['integration tests (real Kafka and registry)', () => nx(['-t', 'int-test', '--parallel=1'])],
];
for (const tier of ['deploy', 'e2e', 'chaos']) {
  const config = join(repoRoot, 'test', tier, 'jest.config.cjs');
  if (existsSync(config)) {
    steps.push([`${tier} tests`, () => run('npx', ['jest', '-c', config, '--json', `--outputFile=${join(reportsDir, `${tier}.json`)}`])]);
  }
}

let failedStep;
for (const [name, step] of steps) {
  process.stdout.write(`\n[test] ${name}\n`);
  const result = step();
  if (result.status !== 0) {
    failedStep = name;
    break;
  }
}

if (!wasUp && !process.env.KEEP_STACK) stack('down');

let passed = 0;
let failed = 0;
if (existsSync(reportsDir)) {
  for (const file of readdirSync(reportsDir).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(reportsDir, file), 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  }
}
process.stdout.write(`\n[test] ${failedStep ? `FAILED in ${failedStep}` : 'all tiers passed'}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failedStep || failed > 0 ? 1 : 0);
