// How an app runs in its Kubernetes Deployment (deploy/k8s/base/<app>/deployment.yaml), so that
// benchmarks run it the same way: the node flags of the container's command (between `node` and
// the entry file; V8 flags such as --single-threaded are refused in NODE_OPTIONS), and the
// NODE_OPTIONS and glibc MALLOC_* settings of its env. An app without a manifest (the CRM
// simulator) runs with Node's defaults.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** @returns {{ nodeArgs: string[], env: Record<string, string> }} */
export function deployedRuntime(root, app) {
  const file = join(root, 'deploy/k8s/base', app, 'deployment.yaml');
  if (!existsSync(file)) return { nodeArgs: [], env: { NODE_OPTIONS: '' } };
  const containers = parse(readFileSync(file, 'utf8'))?.spec?.template?.spec?.containers ?? [];
  const container = containers.find((c) => c.name === app) ?? containers[0];
  if (!container) throw new Error(`${file} has no container`);
  const command = container.command ?? [];
  if (command.length > 0 && command[0] !== 'node')
    throw new Error(`${file}: expected the container command to start with node, got ${command[0]}`);
  const nodeArgs = command.slice(1, -1).map(String);
  const env = { NODE_OPTIONS: '' };
  for (const variable of container.env ?? []) {
    if (variable.value === undefined) continue;
    if (variable.name === 'NODE_OPTIONS' || variable.name.startsWith('MALLOC_'))
      env[variable.name] = String(variable.value);
  }
  return { nodeArgs, env };
}

/** One line for a report: the flags and the allocator settings. */
export function describeRuntime({ nodeArgs, env }) {
  const settings = Object.entries(env).filter(([, value]) => value !== '');
  return [...nodeArgs, ...settings.map(([name, value]) => `${name}=${value}`)].join(' ') || 'Node defaults';
}
