// deploy/k8s: every overlay renders with kustomize, every object matches the Kubernetes JSON schema
// of its kind (kubernetes-models packages), and the rendered manifests keep the rules that matter
// in production (security context, probes, resources, replicas ≤ partitions, no secret values,
// policies, monitoring).
import { readFileSync } from 'node:fs';
import { Topics } from '@crm/contracts';
import { parse } from 'yaml';
import { type Container, type KindMap } from './support/manifests';
import { validateManifest } from './support/manifest-validation';
import { OVERLAYS, readRepoFile, renderOverlay, repoPath, type K8sObject } from './support/repo';

const PIPELINE = ['ingest', 'extractor', 'aggregator', 'crm-writer'];
/** Keys each referenced Secret must hold (deploy/README.md "Secrets"); placeholders stand in for values. */
const SECRET_KEYS: Record<string, string[]> = {
  'ingest-auth': ['INGEST_BEARER_TOKENS', 'INGEST_HMAC_SECRET'],
  'genesys-oauth': ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'],
  'crm-oauth': ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'],
  'kafka-credentials': ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
  'crm-alert-webhook': ['ALERT_WEBHOOK_URL'],
};
const SECRET_LIKE = /SECRET|PASSWORD|TOKENS?$|HMAC|WEBHOOK/;

interface EnvSchema {
  safeParse(input: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } };
}

const rendered: Record<string, K8sObject[]> = Object.fromEntries(
  OVERLAYS.map((overlay) => [overlay, renderOverlay(overlay)]),
);
function ofKind<K extends keyof KindMap>(overlay: string, kind: K): KindMap[K][] {
  return rendered[overlay]!.filter((object) => object.kind === kind) as KindMap[K][];
}
function named<K extends keyof KindMap>(overlay: string, kind: K, name: string): KindMap[K] {
  const found = ofKind(overlay, kind).find((object) => object.metadata.name === name);
  if (!found) throw new Error(`${overlay}: no ${kind} ${name}`);
  return found;
}
const mainContainer = (overlay: string, app: string): Container =>
  named(overlay, 'Deployment', app).spec.template.spec.containers[0]!;
const byPrefix = (overlay: string, prefix: string) =>
  ofKind(overlay, 'ConfigMap').find((object) => object.metadata.name.startsWith(prefix));

/** What the container sees: env, envFrom ConfigMaps, and placeholder values for required Secret keys. */
function containerEnvironment(overlay: string, app: string): Record<string, string> {
  const container = mainContainer(overlay, app);
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const configMap =
      source.configMapRef &&
      ofKind(overlay, 'ConfigMap').find((object) => object.metadata.name === source.configMapRef!.name);
    Object.assign(env, configMap?.data ?? {});
    if (source.secretRef && !source.secretRef.optional) {
      for (const key of SECRET_KEYS[source.secretRef.name] ?? []) env[key] = 'placeholder-value-0123456789';
    }
  }
  for (const variable of container.env ?? [])
    if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    const objects = rendered[overlay]!;
    const deployments = ofKind(overlay, 'Deployment');
    const partitions = Number(byPrefix(overlay, 'pipeline-env-')?.data?.['KAFKA_TOPIC_PARTITIONS']);

    it('renders the four pipeline services', () => {
      expect(deployments.map((object) => object.metadata.name)).toEqual(expect.arrayContaining(PIPELINE));
    });

    it('validates every object against the Kubernetes schema of its apiVersion and kind', () => {
      expect(objects.flatMap(validateManifest)).toEqual([]);
    });

    it('puts every object in one namespace and ships no Secret', () => {
      expect(new Set(objects.map((object) => object.metadata.namespace)).size).toBe(1);
      expect(ofKind(overlay, 'Secret')).toEqual([]);
    });

    it('carries no secret value in env or ConfigMaps', () => {
      const inEnv = PIPELINE.flatMap((app) =>
        (mainContainer(overlay, app).env ?? [])
          .filter((variable) => SECRET_LIKE.test(variable.name) && variable.value !== undefined)
          .map((variable) => variable.name),
      );
      const inConfigMaps = ofKind(overlay, 'ConfigMap').flatMap((configMap) =>
        Object.keys(configMap.data ?? {}).filter((key) => SECRET_LIKE.test(key)),
      );
      expect([...inEnv, ...inConfigMaps]).toEqual([]);
    });

    it.each(PIPELINE)('runs %s non-root, read-only, without privileges or capabilities', (app) => {
      const pod = named(overlay, 'Deployment', app).spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(mainContainer(overlay, app).securityContext).toEqual(
        expect.objectContaining({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        }),
      );
      expect(pod.volumes?.find((volume) => volume.name === 'tmp')?.emptyDir).toBeDefined();
    });

    it.each(PIPELINE)('probes %s on /health/live and /health/ready and bounds its memory', (app) => {
      const container = mainContainer(overlay, app);
      expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
      const request = container.resources?.requests?.memory ?? '';
      const limit = container.resources?.limits?.memory ?? '';
      expect(request).toMatch(/^\d+Mi$/);
      expect(limit).toMatch(/^\d+Mi$/);
      expect(Number.parseInt(limit, 10)).toBeGreaterThanOrEqual(Number.parseInt(request, 10));
      expect(Number.parseInt(limit, 10)).toBeLessThanOrEqual(app === 'aggregator' ? 512 : 256);
    });

    it.each(PIPELINE)('gives %s the configuration its env schema requires', (app) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { envSchema } = require(repoPath('apps', app, 'src/config/env.schema.ts')) as {
        envSchema: EnvSchema;
      };
      const issues = envSchema.safeParse(containerEnvironment(overlay, app)).error?.issues ?? [];
      expect(issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([]);
    });

    it.each(PIPELINE)('gives %s a Service and a PodDisruptionBudget that select its pods', (app) => {
      const podLabels = named(overlay, 'Deployment', app).spec.template.metadata.labels;
      expect(podLabels).toMatchObject(named(overlay, 'Service', app).spec.selector);
      expect(podLabels).toMatchObject(named(overlay, 'PodDisruptionBudget', app).spec.selector.matchLabels);
    });

    it('never runs more replicas than the topics have partitions', () => {
      expect(partitions).toBe(6);
      const counts: [string, number][] = [
        ...deployments.map((object): [string, number] => [object.metadata.name, object.spec.replicas]),
        ...ofKind(overlay, 'ScaledObject').map((object): [string, number] => [
          `ScaledObject ${object.metadata.name}`,
          object.spec.maxReplicaCount,
        ]),
        ...ofKind(overlay, 'HorizontalPodAutoscaler').map((object): [string, number] => [
          `HPA ${object.metadata.name}`,
          object.spec.maxReplicas,
        ]),
      ];
      expect(counts.length).toBeGreaterThanOrEqual(PIPELINE.length);
      expect(counts.filter(([, count]) => !(count >= 1 && count <= partitions))).toEqual([]);
    });

    it('generates the extraction and field-mapping ConfigMaps from config/*.json and mounts them', () => {
      for (const file of ['entity-definitions.json', 'product-catalogue.json', 'field-mapping.json']) {
        expect(byPrefix(overlay, file.replace(/\.json$/, '-'))?.data?.[file]).toBe(
          readFileSync(repoPath('config', file), 'utf8'),
        );
      }
      const referenced = deployments.flatMap((deployment) => [
        ...(deployment.spec.template.spec.containers[0]?.envFrom ?? []).flatMap((source) =>
          source.configMapRef ? [source.configMapRef.name] : [],
        ),
        ...(deployment.spec.template.spec.volumes ?? []).flatMap((volume) => [
          ...(volume.configMap ? [volume.configMap.name] : []),
          ...(volume.projected?.sources ?? []).flatMap((source) =>
            source.configMap ? [source.configMap.name] : [],
          ),
        ]),
      ]);
      const existing = new Set(ofKind(overlay, 'ConfigMap').map((object) => object.metadata.name));
      expect(referenced.length).toBeGreaterThan(PIPELINE.length);
      expect(referenced.filter((name) => !existing.has(name))).toEqual([]);
    });

    it('denies by default and lets only ingest accept traffic from anywhere', () => {
      const policies = ofKind(overlay, 'NetworkPolicy');
      const defaultDeny = policies.find(
        (policy) => policy.spec.ingress === undefined && policy.spec.egress === undefined,
      );
      expect(defaultDeny?.spec.podSelector.matchLabels).toEqual({
        'app.kubernetes.io/part-of': 'crm-pipeline',
      });
      expect(defaultDeny?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const openIngress = policies.filter((policy) =>
        (policy.spec.ingress ?? []).some((rule) => rule.from === undefined),
      );
      expect(openIngress.map((policy) => policy.spec.podSelector.matchLabels)).toEqual([
        { 'app.kubernetes.io/name': 'ingest' },
      ]);
    });

    it('scrapes the services and ships the alert rules of deploy/prometheus', () => {
      expect(ofKind(overlay, 'ServiceMonitor')[0]?.spec.endpoints[0]).toMatchObject({
        port: 'http',
        path: '/metrics',
      });
      const rules = parse(readRepoFile('deploy/prometheus/rules/pipeline.rules.yml')) as {
        groups: unknown[];
      };
      expect(ofKind(overlay, 'PrometheusRule')[0]?.spec.groups).toEqual(rules.groups);
    });
  });

  it('autoscales consumers on lag with KEDA in prod, with HPAs in prod-hpa, not at all in dev', () => {
    const names = (objects: K8sObject[]) => objects.map((object) => object.metadata.name).sort();
    expect(names(ofKind('prod', 'ScaledObject'))).toEqual([...PIPELINE].sort());
    expect(ofKind('prod', 'HorizontalPodAutoscaler')).toEqual([]);
    expect(names(ofKind('prod-hpa', 'HorizontalPodAutoscaler'))).toEqual([...PIPELINE].sort());
    expect(ofKind('prod-hpa', 'ScaledObject')).toEqual([]);
    expect([...ofKind('dev', 'ScaledObject'), ...ofKind('dev', 'HorizontalPodAutoscaler')]).toEqual([]);
  });

  it('scales each consumer on the lag of its own consumer groups and topics', () => {
    // Group ids are the apps' defaults (EXTRACTOR_GROUP_ID, AGGREGATOR_GROUP_ID, CRM_WRITER_GROUP_PREFIX).
    const expected = [
      { service: 'extractor', group: 'extractor', topic: Topics.conversationEvents },
      { service: 'aggregator', group: 'aggregator', topic: Topics.entityExtracted },
      { service: 'crm-writer', group: 'crm-writer-resolve', topic: Topics.contactUpdateRequested },
      { service: 'crm-writer', group: 'crm-writer-apply', topic: Topics.contactUpdateByRecord },
    ];
    const triggers = ofKind('prod', 'ScaledObject').flatMap((object) =>
      object.spec.triggers
        .filter((trigger) => trigger.type === 'kafka')
        .map((trigger) => ({
          service: object.metadata.name,
          group: trigger.metadata['consumerGroup'],
          topic: trigger.metadata['topic'],
        })),
    );
    expect(triggers).toEqual(expect.arrayContaining(expected));
    expect(triggers).toHaveLength(expected.length);
  });

  it('documents every Secret the manifests reference', () => {
    const readme = readRepoFile('deploy/README.md');
    const referenced = new Set(
      OVERLAYS.flatMap((overlay) =>
        PIPELINE.flatMap((app) =>
          (mainContainer(overlay, app).envFrom ?? []).flatMap((source) =>
            source.secretRef ? [source.secretRef.name] : [],
          ),
        ),
      ),
    );
    expect(referenced.size).toBeGreaterThanOrEqual(4);
    expect([...referenced].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    expect([...referenced].filter((name) => !SECRET_KEYS[name])).toEqual([]);
  });
});
