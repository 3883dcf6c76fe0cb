// The schema check of kustomize.spec.ts can fail: broken objects of each model family are
// rejected with the path of the problem, and a kind without a registered model is not a pass.
import { validateManifest, VALIDATED_KINDS } from './support/manifest-validation';
import { type K8sObject } from './support/repo';

function deployment(spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ingest' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'ingest' } },
      template: {
        metadata: { labels: { app: 'ingest' } },
        spec: { containers: [{ name: 'ingest', image: 'crm/ingest:1.0.0' }] },
      },
      ...spec,
    },
  };
}

describe(validateManifest.name, () => {
  it('accepts a well-formed Deployment', () => {
    expect(validateManifest(deployment())).toEqual([]);
  });

  it('rejects a Deployment whose replicas is not an integer', () => {
    expect(validateManifest(deployment({ replicas: 'two' }))).toEqual([
      'Deployment ingest/spec/replicas: must be integer',
    ]);
  });

  it('rejects a container without a name', () => {
    const broken = deployment({
      template: { spec: { containers: [{ image: 'crm/ingest:1.0.0' }] } },
    });
    expect(validateManifest(broken)).toEqual([
      "Deployment ingest/spec/template/spec/containers/0: must have required property 'name'",
    ]);
  });

  it('rejects a Deployment without a selector', () => {
    const broken = deployment();
    delete (broken['spec'] as Record<string, unknown>)['selector'];
    expect(validateManifest(broken)).toEqual([
      "Deployment ingest/spec: must have required property 'selector'",
    ]);
  });

  it('rejects a KEDA ScaledObject with a non-numeric maxReplicaCount', () => {
    const scaledObject: K8sObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'extractor' },
      spec: {
        scaleTargetRef: { name: 'extractor' },
        maxReplicaCount: 'six',
        triggers: [{ type: 'kafka', metadata: { topic: 'conversation-events' } }],
      },
    };
    expect(validateManifest(scaledObject)).toEqual([
      'ScaledObject extractor/spec/maxReplicaCount: must be integer',
    ]);
  });

  it('rejects a PrometheusRule whose rule has no expression', () => {
    const rule: K8sObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'crm-pipeline' },
      spec: { groups: [{ name: 'pipeline', rules: [{ alert: 'ServiceDown' }] }] },
    };
    expect(validateManifest(rule)).toEqual([
      "PrometheusRule crm-pipeline/spec/groups/0/rules/0: must have required property 'expr'",
    ]);
  });

  it('rejects a kind that has no registered model instead of passing it', () => {
    const unknown: K8sObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'replay' } };
    expect(VALIDATED_KINDS).not.toContain('batch/v1/CronJob');
    expect(validateManifest(unknown)).toEqual(['CronJob replay: no model for batch/v1/CronJob']);
  });

  it('rejects a known kind at an apiVersion that has no registered model', () => {
    const old: K8sObject = { ...deployment(), apiVersion: 'apps/v1beta2' };
    expect(validateManifest(old)).toEqual(['Deployment ingest: no model for apps/v1beta2/Deployment']);
  });
});
