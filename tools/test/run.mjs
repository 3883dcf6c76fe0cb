#!/usr/bin/env node
// `npm test`: every tier on the real local stack. Installs dependencies if missing, starts the
// local Kafka and registry if they are not up (and stops them afterwards only if it started them),
// runs lint, typecheck and unit tests, then the integration tier, then the root e2e/chaos tiers
// when present, and prints one summary line with the test counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
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
    steps.push([
      `${tier} tests`,
      () => run('npx', ['jest', '-c', config, '--json', `--outputFile=${join(reportsDir, `${tier}.json`)}`]),
    ]);
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
const failures = [];
if (existsSync(reportsDir)) {
  for (const file of readdirSync(reportsDir).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(reportsDir, file), 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    for (const suite of report.testResults ?? []) {
      const broken = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of broken)
        failures.push({ file: suite.name, title: test.fullName, messages: test.failureMessages });
      // A suite that fails outside any test (a throwing beforeAll, a syntax error) has no failed test.
      if (suite.status === 'failed' && broken.length === 0) {
        failures.push({ file: suite.name, title: '(suite)', messages: [suite.message] });
      }
    }
  }
}
// Repeat each failure, briefly, at the very end: CI logs are often cut to their tail.
for (const failure of failures) {
  // The whole message (tests that fail with a diagnosis put it there), up to the stack trace.
  const lines = stripVTControlCharacters(failure.messages.join('\n')).split('\n');
  const stackAt = lines.findIndex((line) => /^\s+at /.test(line));
  const firstLines = lines.slice(0, Math.min(stackAt < 0 ? lines.length : stackAt + 2, 60)).join('\n    ');
  process.stdout.write(
    `\n[test] FAILED ${failure.file.replace(`${repoRoot}/`, '')}\n  ${failure.title}\n    ${firstLines}\n`,
  );
}
process.stdout.write(`\n[test] ${failedStep ? `FAILED in ${failedStep}` : 'all tiers passed'}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failedStep || failed > 0 ? 1 : 0);
