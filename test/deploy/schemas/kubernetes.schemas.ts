// Compact JSON schemas for exactly the Kubernetes kinds deploy/k8s renders (and the KEDA and
// Prometheus Operator CRDs it uses), written from the API references because no npm package
// with the official schemas is installed. They are strict (unknown fields are errors) where a
// typo would silently disable a safety setting. Replace with the generated schemas of
// `kubernetes-json-schema`-style packages (e.g. npm `kubernetes-types`/`kubernetes-models`) when
// one is added to the workspace; the spec only needs `schemaFor(apiVersion, kind)`.
type Schema = Record<string, unknown>;

const str: Schema = { type: 'string', minLength: 1 };
const int = (minimum = 0): Schema => ({ type: 'integer', minimum });
const bool: Schema = { type: 'boolean' };
const intOrString: Schema = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^([0-9]+%?|[a-z][a-z0-9-]*)$' },
  ],
};
const quantity: Schema = {
  anyOf: [{ type: 'number' }, { type: 'string', pattern: '^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$' }],
};
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const arrayOf = (items: Schema, minItems = 0): Schema => ({ type: 'array', items, minItems });

/** additionalProperties: false — every field must be known. */
function strict(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const labelName = '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
const dnsName: Schema = {
  type: 'string',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  maxLength: 253,
};
const labels: Schema = {
  type: 'object',
  propertyNames: { pattern: labelName },
  additionalProperties: { type: 'string', maxLength: 63 },
};

const metadata = strict({ name: dnsName, namespace: dnsName, labels, annotations: stringMap }, ['name']);

const labelSelector = strict({
  matchLabels: labels,
  matchExpressions: arrayOf(
    strict(
      {
        key: str,
        operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
        values: arrayOf({ type: 'string' }),
      },
      ['key', 'operator'],
    ),
  ),
});

const httpGet = strict(
  { path: { type: 'string', pattern: '^/' }, port: intOrString, scheme: { enum: ['HTTP', 'HTTPS'] } },
  ['port'],
);
const probe = strict({
  httpGet,
  exec: strict({ command: arrayOf({ type: 'string' }, 1) }, ['command']),
  tcpSocket: strict({ port: intOrString }, ['port']),
  initialDelaySeconds: int(),
  periodSeconds: int(1),
  timeoutSeconds: int(1),
  successThreshold: int(1),
  failureThreshold: int(1),
});

const envVar = strict(
  {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    value: { type: 'string' },
    valueFrom: {
      type: 'object',
      properties: {
        secretKeyRef: strict({ name: str, key: str, optional: bool }, ['name', 'key']),
        configMapKeyRef: strict({ name: str, key: str, optional: bool }, ['name', 'key']),
        fieldRef: strict({ fieldPath: str, apiVersion: str }, ['fieldPath']),
      },
      additionalProperties: false,
    },
  },
  ['name'],
);

const envFrom = strict({
  prefix: str,
  configMapRef: strict({ name: str, optional: bool }, ['name']),
  secretRef: strict({ name: str, optional: bool }, ['name']),
});

const resources = strict({
  requests: strict({ cpu: quantity, memory: quantity, 'ephemeral-storage': quantity }),
  limits: strict({ cpu: quantity, memory: quantity, 'ephemeral-storage': quantity }),
});

const seccomp = strict(
  { type: { enum: ['RuntimeDefault', 'Localhost', 'Unconfined'] }, localhostProfile: str },
  ['type'],
);

const containerSecurityContext = strict({
  runAsNonRoot: bool,
  runAsUser: int(),
  runAsGroup: int(),
  allowPrivilegeEscalation: bool,
  readOnlyRootFilesystem: bool,
  privileged: bool,
  capabilities: strict({ drop: arrayOf({ type: 'string' }), add: arrayOf({ type: 'string' }) }),
  seccompProfile: seccomp,
});

const container = strict(
  {
    name: dnsName,
    image: str,
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    command: arrayOf({ type: 'string' }),
    args: arrayOf({ type: 'string' }),
    ports: arrayOf(
      strict(
        {
          name: { type: 'string', maxLength: 15 },
          containerPort: int(1),
          protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
        },
        ['containerPort'],
      ),
    ),
    env: arrayOf(envVar),
    envFrom: arrayOf(envFrom),
    startupProbe: probe,
    livenessProbe: probe,
    readinessProbe: probe,
    lifecycle: strict({
      preStop: strict({
        exec: strict({ command: arrayOf({ type: 'string' }, 1) }, ['command']),
        sleep: strict({ seconds: int(1) }, ['seconds']),
      }),
    }),
    resources,
    securityContext: containerSecurityContext,
    volumeMounts: arrayOf(
      strict({ name: str, mountPath: { type: 'string', pattern: '^/' }, readOnly: bool, subPath: str }, [
        'name',
        'mountPath',
      ]),
    ),
  },
  ['name', 'image'],
);

const volume = strict(
  {
    name: dnsName,
    emptyDir: strict({ medium: { enum: ['', 'Memory'] }, sizeLimit: quantity }),
    configMap: strict({ name: str, optional: bool, defaultMode: int() }, ['name']),
    secret: strict({ secretName: str, optional: bool, defaultMode: int() }, ['secretName']),
    projected: strict(
      {
        sources: arrayOf(
          strict({
            configMap: strict({ name: str, optional: bool }, ['name']),
            secret: strict({ name: str, optional: bool }, ['name']),
          }),
          1,
        ),
      },
      ['sources'],
    ),
  },
  ['name'],
);

const podSpec = strict(
  {
    serviceAccountName: dnsName,
    automountServiceAccountToken: bool,
    terminationGracePeriodSeconds: int(),
    priorityClassName: str,
    securityContext: strict({
      runAsNonRoot: bool,
      runAsUser: int(),
      runAsGroup: int(),
      fsGroup: int(),
      seccompProfile: seccomp,
    }),
    topologySpreadConstraints: arrayOf(
      strict(
        {
          maxSkew: int(1),
          topologyKey: str,
          whenUnsatisfiable: { enum: ['DoNotSchedule', 'ScheduleAnyway'] },
          labelSelector,
        },
        ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
      ),
    ),
    containers: arrayOf(container, 1),
    volumes: arrayOf(volume),
  },
  ['containers'],
);

const deployment = strict(
  {
    apiVersion: { const: 'apps/v1' },
    kind: { const: 'Deployment' },
    metadata,
    spec: strict(
      {
        replicas: int(),
        revisionHistoryLimit: int(),
        selector: labelSelector,
        strategy: strict({
          type: { enum: ['RollingUpdate', 'Recreate'] },
          rollingUpdate: strict({ maxUnavailable: intOrString, maxSurge: intOrString }),
        }),
        template: strict({ metadata: strict({ labels, annotations: stringMap }), spec: podSpec }, [
          'metadata',
          'spec',
        ]),
      },
      ['selector', 'template'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const service = strict(
  {
    apiVersion: { const: 'v1' },
    kind: { const: 'Service' },
    metadata,
    spec: strict(
      {
        type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
        selector: labels,
        ports: arrayOf(
          strict({ name: str, port: int(1), targetPort: intOrString, protocol: { enum: ['TCP', 'UDP'] } }, [
            'port',
          ]),
          1,
        ),
      },
      ['selector', 'ports'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const serviceAccount = strict(
  {
    apiVersion: { const: 'v1' },
    kind: { const: 'ServiceAccount' },
    metadata,
    automountServiceAccountToken: bool,
  },
  ['apiVersion', 'kind', 'metadata'],
);

const configMap = strict(
  { apiVersion: { const: 'v1' }, kind: { const: 'ConfigMap' }, metadata, data: stringMap, immutable: bool },
  ['apiVersion', 'kind', 'metadata', 'data'],
);

const pdb = strict(
  {
    apiVersion: { const: 'policy/v1' },
    kind: { const: 'PodDisruptionBudget' },
    metadata,
    spec: {
      ...strict({ minAvailable: intOrString, maxUnavailable: intOrString, selector: labelSelector }, [
        'selector',
      ]),
      oneOf: [{ required: ['minAvailable'] }, { required: ['maxUnavailable'] }],
    },
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const npPort = strict({ protocol: { enum: ['TCP', 'UDP', 'SCTP'] }, port: intOrString, endPort: int(1) });
const npPeer = strict({
  podSelector: labelSelector,
  namespaceSelector: labelSelector,
  ipBlock: strict(
    {
      cidr: { type: 'string', pattern: '^[0-9a-f.:]+/[0-9]+$' },
      except: arrayOf({ type: 'string', pattern: '^[0-9a-f.:]+/[0-9]+$' }),
    },
    ['cidr'],
  ),
});
const networkPolicy = strict(
  {
    apiVersion: { const: 'networking.k8s.io/v1' },
    kind: { const: 'NetworkPolicy' },
    metadata,
    spec: strict(
      {
        podSelector: labelSelector,
        policyTypes: arrayOf({ enum: ['Ingress', 'Egress'] }, 1),
        ingress: arrayOf(strict({ from: arrayOf(npPeer), ports: arrayOf(npPort) })),
        egress: arrayOf(strict({ to: arrayOf(npPeer), ports: arrayOf(npPort) })),
      },
      ['podSelector'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const ingress = strict(
  {
    apiVersion: { const: 'networking.k8s.io/v1' },
    kind: { const: 'Ingress' },
    metadata,
    spec: strict({
      ingressClassName: str,
      tls: arrayOf(strict({ hosts: arrayOf(str), secretName: str })),
      rules: arrayOf(
        strict({
          host: str,
          http: strict(
            {
              paths: arrayOf(
                strict(
                  {
                    path: { type: 'string', pattern: '^/' },
                    pathType: { enum: ['Exact', 'Prefix', 'ImplementationSpecific'] },
                    backend: strict(
                      {
                        service: strict({ name: str, port: strict({ name: str, number: int(1) }) }, [
                          'name',
                          'port',
                        ]),
                      },
                      ['service'],
                    ),
                  },
                  ['path', 'pathType', 'backend'],
                ),
                1,
              ),
            },
            ['paths'],
          ),
        }),
      ),
    }),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const scaleBehavior = strict({
  scaleDown: strict({
    stabilizationWindowSeconds: int(),
    policies: arrayOf(
      strict({ type: { enum: ['Pods', 'Percent'] }, value: int(1), periodSeconds: int(1) }, [
        'type',
        'value',
        'periodSeconds',
      ]),
    ),
  }),
  scaleUp: strict({
    stabilizationWindowSeconds: int(),
    policies: arrayOf(
      strict({ type: { enum: ['Pods', 'Percent'] }, value: int(1), periodSeconds: int(1) }, [
        'type',
        'value',
        'periodSeconds',
      ]),
    ),
  }),
});
const metricTarget = strict(
  {
    type: { enum: ['Utilization', 'Value', 'AverageValue'] },
    averageUtilization: int(1),
    averageValue: quantity,
    value: quantity,
  },
  ['type'],
);
const hpa = strict(
  {
    apiVersion: { const: 'autoscaling/v2' },
    kind: { const: 'HorizontalPodAutoscaler' },
    metadata,
    spec: strict(
      {
        scaleTargetRef: strict({ apiVersion: str, kind: str, name: str }, ['kind', 'name']),
        minReplicas: int(1),
        maxReplicas: int(1),
        behavior: scaleBehavior,
        metrics: arrayOf(
          strict(
            {
              type: { enum: ['Resource', 'External', 'Pods', 'Object', 'ContainerResource'] },
              resource: strict({ name: { enum: ['cpu', 'memory'] }, target: metricTarget }, [
                'name',
                'target',
              ]),
              external: strict(
                { metric: strict({ name: str, selector: labelSelector }, ['name']), target: metricTarget },
                ['metric', 'target'],
              ),
            },
            ['type'],
          ),
          1,
        ),
      },
      ['scaleTargetRef', 'maxReplicas'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

// keda.sh/v1alpha1 (KEDA 2.x), from the ScaledObject and kafka/cpu scaler references.
const kafkaTriggerMetadata = strict(
  {
    bootstrapServers: str,
    bootstrapServersFromEnv: str,
    consumerGroup: str,
    topic: str,
    lagThreshold: { type: 'string', pattern: '^[0-9]+$' },
    activationLagThreshold: { type: 'string', pattern: '^[0-9]+$' },
    offsetResetPolicy: { enum: ['earliest', 'latest'] },
    allowIdleConsumers: { enum: ['true', 'false'] },
    excludePersistentLag: { enum: ['true', 'false'] },
    limitToPartitionsWithLag: { enum: ['true', 'false'] },
    scaleToZeroOnInvalidOffset: { enum: ['true', 'false'] },
  },
  ['consumerGroup'],
);
const scaledObject = strict(
  {
    apiVersion: { const: 'keda.sh/v1alpha1' },
    kind: { const: 'ScaledObject' },
    metadata,
    spec: strict(
      {
        scaleTargetRef: strict({ name: str, kind: str, apiVersion: str }, ['name']),
        minReplicaCount: int(),
        maxReplicaCount: int(1),
        pollingInterval: int(1),
        cooldownPeriod: int(),
        advanced: strict({
          horizontalPodAutoscalerConfig: strict({ behavior: scaleBehavior, name: str }),
          restoreToOriginalReplicaCount: bool,
        }),
        triggers: arrayOf(
          {
            type: 'object',
            required: ['type', 'metadata'],
            properties: {
              type: { enum: ['kafka', 'cpu', 'memory', 'prometheus'] },
              metricType: { enum: ['Utilization', 'AverageValue', 'Value'] },
              metadata: { type: 'object' },
              authenticationRef: strict({ name: str, kind: str }, ['name']),
              name: str,
            },
            additionalProperties: false,
            allOf: [
              {
                if: { properties: { type: { const: 'kafka' } } },
                then: { properties: { metadata: kafkaTriggerMetadata } },
              },
              {
                if: { properties: { type: { const: 'cpu' } } },
                then: {
                  required: ['metricType'],
                  properties: {
                    metadata: strict({ value: { type: 'string', pattern: '^[0-9]+$' } }, ['value']),
                  },
                },
              },
            ],
          },
          1,
        ),
      },
      ['scaleTargetRef', 'triggers'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);
const triggerAuthentication = strict(
  {
    apiVersion: { const: 'keda.sh/v1alpha1' },
    kind: { const: 'TriggerAuthentication' },
    metadata,
    spec: strict({
      secretTargetRef: arrayOf(
        strict({ parameter: str, name: str, key: str }, ['parameter', 'name', 'key']),
        1,
      ),
    }),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

// monitoring.coreos.com/v1 (Prometheus Operator).
const serviceMonitor = strict(
  {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'ServiceMonitor' },
    metadata,
    spec: strict(
      {
        jobLabel: str,
        selector: labelSelector,
        namespaceSelector: strict({ matchNames: arrayOf(str), any: bool }),
        endpoints: arrayOf(
          strict({
            port: str,
            path: str,
            interval: { type: 'string', pattern: '^[0-9]+[smh]$' },
            scrapeTimeout: { type: 'string', pattern: '^[0-9]+[smh]$' },
            honorLabels: bool,
            scheme: { enum: ['http', 'https'] },
          }),
          1,
        ),
      },
      ['selector', 'endpoints'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);
const duration: Schema = { type: 'string', pattern: '^([0-9]+(ms|s|m|h|d|w|y))+$' };
const prometheusRule = strict(
  {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'PrometheusRule' },
    metadata,
    spec: strict(
      {
        groups: arrayOf(
          strict(
            {
              name: str,
              interval: duration,
              rules: arrayOf(
                strict(
                  {
                    alert: str,
                    record: str,
                    expr: str,
                    for: duration,
                    labels: stringMap,
                    annotations: stringMap,
                  },
                  ['expr'],
                ),
                1,
              ),
            },
            ['name', 'rules'],
          ),
          1,
        ),
      },
      ['groups'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const SCHEMAS: Record<string, Schema> = {
  'apps/v1/Deployment': deployment,
  'v1/Service': service,
  'v1/ServiceAccount': serviceAccount,
  'v1/ConfigMap': configMap,
  'policy/v1/PodDisruptionBudget': pdb,
  'networking.k8s.io/v1/NetworkPolicy': networkPolicy,
  'networking.k8s.io/v1/Ingress': ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': hpa,
  'keda.sh/v1alpha1/ScaledObject': scaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': triggerAuthentication,
  'monitoring.coreos.com/v1/ServiceMonitor': serviceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': prometheusRule,
};

/** The schema for one apiVersion/kind, or undefined for a kind nobody wrote a schema for. */
export function schemaFor(apiVersion: string, kind: string): Schema | undefined {
  return SCHEMAS[`${apiVersion}/${kind}`];
}
