// Paths and small process helpers shared by the deploy specs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { miniKustomize } from './mini-kustomize';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);
export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), 'utf8');
export const readYaml = <T>(...parts: string[]): T => parse(readRepoFile(...parts)) as T;

/** Runs a tool with a minimal environment (no variables leaking into interpolation). */
export function run(command: string, args: string[], cwd = REPO_ROOT): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export const OVERLAYS = ['dev', 'prod', 'prod-hpa'] as const;

/** kubectl's embedded kustomize, when installed and new enough (v5: components, `labels`). */
export const KUBECTL_KUSTOMIZE: boolean = (() => {
  try {
    return /Kustomize Version: v5\./.test(run('kubectl', ['version', '--client']));
  } catch {
    return false;
  }
})();

/** Renders an overlay with the real kustomize in kubectl, else with the reduced loader. */
export function renderOverlay(overlay: string): K8sObject[] {
  return KUBECTL_KUSTOMIZE
    ? renderWithKubectl(overlay)
    : miniKustomize(repoPath('deploy/k8s/overlays', overlay));
}

/**
 * The ConfigMaps come from config/*.json outside deploy/k8s, hence LoadRestrictionsNone.
 */
export function renderWithKubectl(overlay: string): K8sObject[] {
  const out = run('kubectl', [
    'kustomize',
    '--load-restrictor',
    'LoadRestrictionsNone',
    repoPath('deploy/k8s/overlays', overlay),
  ]);
  return parseAllDocuments(out)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}
