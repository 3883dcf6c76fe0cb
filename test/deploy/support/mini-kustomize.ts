// A deliberately small kustomize, used only when no kubectl with kustomize v5 is installed
// (Debian 12 packages none: its kubernetes-client 1.20 embeds kustomize v2, which has no
// components). It implements exactly the features deploy/k8s uses — resources (files and
// directories), components, namespace, labels (metadata only), configMapGenerator (literals, files,
// behavior merge, kustomize's content-hash suffix and the references to it), replicas, images and
// JSON6902 `patches` with a kind/labelSelector target — and throws on any other field, so a new
// feature cannot be silently ignored. kustomize.spec.ts checks it renders what kubectl does when
// both are available. It is NOT kustomize: deploy/README.md says how to render for real.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { type K8sObject } from './repo';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Generator {
  name: string;
  behavior?: 'create' | 'merge';
  literals?: string[];
  files?: string[];
}
interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  components?: string[];
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  configMapGenerator?: Generator[];
  replicas?: { name: string; count: number }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { kind?: string; name?: string; labelSelector?: string }; patch: string }[];
}

const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'components',
  'labels',
  'configMapGenerator',
  'replicas',
  'images',
  'patches',
]);

/** A generated ConfigMap remembers its name before the hash suffix, which references use. */
interface Rendered {
  object: K8sObject & JsonObject;
  generatedFrom?: string;
}

export function miniKustomize(directory: string): K8sObject[] {
  const rendered = build(resolve(directory));
  return finaliseGeneratedNames(rendered).map((entry) => entry.object);
}

function load(directory: string): Kustomization {
  const file = ['kustomization.yaml', 'kustomization.yml']
    .map((name) => join(directory, name))
    .find((path) => existsSync(path));
  if (!file) throw new Error(`mini-kustomize: no kustomization in ${directory}`);
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length)
    throw new Error(`mini-kustomize: ${file} uses unsupported fields ${unsupported.join(', ')}`);
  if (kustomization.labels?.some((label) => label.includeSelectors || label.includeTemplates)) {
    throw new Error(
      `mini-kustomize: ${file}: labels with includeSelectors/includeTemplates are not supported`,
    );
  }
  return kustomization;
}

function build(directory: string, accumulated: Rendered[] = []): Rendered[] {
  const kustomization = load(directory);
  let own: Rendered[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(directory, resource);
    if (statSync(path).isDirectory()) own.push(...build(path));
    else
      own.push(
        ...parseAllDocuments(readFileSync(path, 'utf8')).map((document) => ({
          object: document.toJS() as K8sObject & JsonObject,
        })),
      );
  }
  // A Component transforms what its parent accumulated so far; a Kustomization starts afresh.
  if (kustomization.kind === 'Component') own = [...accumulated, ...own];
  for (const component of kustomization.components ?? []) own = build(join(directory, component), own);
  own = generate(directory, kustomization.configMapGenerator ?? [], own);
  return transform(kustomization, own);
}

function generate(directory: string, generators: Generator[], objects: Rendered[]): Rendered[] {
  const result = [...objects];
  for (const generator of generators) {
    const data: Record<string, string> = {};
    for (const literal of generator.literals ?? []) {
      const at = literal.indexOf('=');
      data[literal.slice(0, at)] = literal.slice(at + 1);
    }
    for (const file of generator.files ?? []) {
      const [key, path] = file.includes('=')
        ? (file.split('=') as [string, string])
        : [file.split('/').at(-1)!, file];
      data[key] = readFileSync(join(directory, path), 'utf8');
    }
    const existing = result.find((entry) => entry.generatedFrom === generator.name);
    if (generator.behavior === 'merge') {
      if (!existing) throw new Error(`mini-kustomize: merge into unknown ConfigMap ${generator.name}`);
      existing.object['data'] = { ...(existing.object['data'] as Record<string, string>), ...data };
      continue;
    }
    if (existing) throw new Error(`mini-kustomize: ConfigMap ${generator.name} generated twice`);
    result.push({
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data },
      generatedFrom: generator.name,
    });
  }
  return result;
}

function transform(kustomization: Kustomization, objects: Rendered[]): Rendered[] {
  for (const patch of kustomization.patches ?? []) {
    const operations = parse(patch.patch) as { op: string; path: string; value?: Json }[];
    for (const { object } of objects.filter(({ object }) => matchesTarget(object, patch.target))) {
      for (const operation of operations) applyOperation(object, operation);
    }
  }
  for (const { object } of objects) {
    if (kustomization.namespace) object.metadata.namespace = kustomization.namespace;
    for (const label of kustomization.labels ?? [])
      object.metadata.labels = { ...object.metadata.labels, ...label.pairs };
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const deployment = objects.find(
      ({ object }) => object.kind === 'Deployment' && object.metadata.name === name,
    );
    if (!deployment) throw new Error(`mini-kustomize: replicas for unknown Deployment ${name}`);
    (deployment.object['spec'] as JsonObject)['replicas'] = count;
  }
  for (const image of kustomization.images ?? []) {
    for (const container of objects.flatMap(({ object }) => containersOf(object))) {
      const reference = typeof container['image'] === 'string' ? container['image'] : '';
      const name = reference.replace(/:[^:/]+$/, '');
      if (name !== image.name) continue;
      const tag = reference.slice(name.length + 1);
      container['image'] = `${image.newName ?? name}:${image.newTag ?? tag}`;
    }
  }
  return objects;
}

function matchesTarget(
  object: K8sObject,
  target: { kind?: string; name?: string; labelSelector?: string },
): boolean {
  if (target.kind && object.kind !== target.kind) return false;
  if (target.name && object.metadata.name !== target.name) return false;
  return (target.labelSelector ?? '')
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const [key, value] = term.split('=');
      return object.metadata.labels?.[key!] === value;
    });
}

function applyOperation(object: JsonObject, operation: { op: string; path: string; value?: Json }): void {
  const keys = operation.path
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  let parent: Json = object;
  for (const key of keys) parent = (parent as Record<string, Json>)[key] ?? null;
  if (parent === null || typeof parent !== 'object')
    throw new Error(`mini-kustomize: patch path ${operation.path} not found`);
  if (operation.op !== 'replace' && operation.op !== 'add')
    throw new Error(`mini-kustomize: patch op ${operation.op} is not supported`);
  if (operation.op === 'replace' && !(last in parent))
    throw new Error(`mini-kustomize: replace of missing ${operation.path}`);
  (parent as Record<string, Json>)[last] = operation.value ?? null;
}

function containersOf(object: JsonObject): JsonObject[] {
  const pod = ((object['spec'] as JsonObject | undefined)?.['template'] as JsonObject | undefined)?.[
    'spec'
  ] as JsonObject | undefined;
  return [
    ...((pod?.['containers'] as JsonObject[] | undefined) ?? []),
    ...((pod?.['initContainers'] as JsonObject[] | undefined) ?? []),
  ];
}

/**
 * kustomize's suffix: sha256 of Go's JSON encoding of {data, kind, name}, 10 hex chars with vowels
 * and look-alikes replaced. kustomize v5 hashes generated ConfigMaps with an empty name (measured
 * against kubectl 1.32 / kustomize v5.5.0).
 */
function contentHash(data: Record<string, string>): string {
  const sorted = Object.fromEntries(
    Object.keys(data)
      .sort()
      .map((key) => [key, data[key]]),
  );
  const goJson = JSON.stringify({ data: sorted, kind: 'ConfigMap', name: '' })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const replacements: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return createHash('sha256')
    .update(goJson)
    .digest('hex')
    .slice(0, 10)
    .replace(/[013ae]/g, (char) => replacements[char]!);
}

function finaliseGeneratedNames(objects: Rendered[]): Rendered[] {
  const renamed = new Map<string, string>();
  for (const entry of objects.filter((candidate) => candidate.generatedFrom)) {
    const name = `${entry.generatedFrom!}-${contentHash(entry.object['data'] as Record<string, string>)}`;
    renamed.set(entry.generatedFrom!, name);
    entry.object.metadata.name = name;
  }
  const rename = (reference: JsonObject | undefined, field: string): void => {
    const current = reference?.[field];
    if (reference && typeof current === 'string' && renamed.has(current))
      reference[field] = renamed.get(current)!;
  };
  for (const { object } of objects) {
    for (const container of containersOf(object)) {
      for (const source of (container['envFrom'] as JsonObject[] | undefined) ?? [])
        rename(source['configMapRef'] as JsonObject | undefined, 'name');
      for (const variable of (container['env'] as JsonObject[] | undefined) ?? []) {
        rename(
          (variable['valueFrom'] as JsonObject | undefined)?.['configMapKeyRef'] as JsonObject | undefined,
          'name',
        );
      }
    }
    const pod = ((object['spec'] as JsonObject | undefined)?.['template'] as JsonObject | undefined)?.[
      'spec'
    ] as JsonObject | undefined;
    for (const volume of (pod?.['volumes'] as JsonObject[] | undefined) ?? []) {
      rename(volume['configMap'] as JsonObject | undefined, 'name');
      for (const source of ((volume['projected'] as JsonObject | undefined)?.['sources'] as
        JsonObject[] | undefined) ?? []) {
        rename(source['configMap'] as JsonObject | undefined, 'name');
      }
    }
  }
  return objects;
}
