// docker-compose.yml: valid for docker-compose, complete (every service, its required variables,
// healthchecks and start order), and consistent with the topic contracts and the Dockerfile.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_SPECS } from '@crm/contracts';
import { parse } from 'yaml';
import { readRepoFile, readYaml, repoPath, run } from './support/repo';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  volumes?: string[];
}

interface SafeParseSchema {
  safeParse(input: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

/** The services built from this repository, their ports, and what each needs when no env.schema.ts exists yet. */
const PIPELINE_APPS: Record<string, { port: number; required: string[] }> = {
  ingest: {
    port: 3000,
    required: [
      'KAFKA_BROKERS',
      'SCHEMA_REGISTRY_URL',
      'INGEST_BEARER_TOKENS',
      'INGEST_HMAC_SECRET',
      'GENESYS_REGION',
      'GENESYS_CLIENT_ID',
      'GENESYS_CLIENT_SECRET',
    ],
  },
  extractor: {
    port: 3001,
    required: ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'ENTITY_DEFINITIONS_FILE', 'PRODUCT_CATALOGUE_FILE'],
  },
  aggregator: { port: 3002, required: ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL'] },
  'crm-writer': {
    port: 3003,
    required: [
      'KAFKA_BROKERS',
      'SCHEMA_REGISTRY_URL',
      'CRM_PROVIDER',
      'SALESFORCE_INSTANCE_URL',
      'SALESFORCE_TOKEN_URL',
      'SALESFORCE_CLIENT_ID',
      'SALESFORCE_CLIENT_SECRET',
      'SALESFORCE_API_VERSION',
    ],
  },
  'crm-simulator': { port: 3100, required: [] },
};

/** The compose file as docker-compose resolves it (anchors merged, defaults interpolated, paths absolute). */
function resolvedCompose(): { services: Record<string, ComposeService> } {
  return parse(run('docker-compose', ['-f', 'docker-compose.yml', 'config'])) as {
    services: Record<string, ComposeService>;
  };
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [name, value ?? '']),
  );
}

describe('docker-compose.yml', () => {
  const compose = resolvedCompose();
  const services = compose.services;

  it('passes docker-compose config -q', () => {
    expect(() => run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'])).not.toThrow();
  });

  it('runs Kafka in KRaft mode from the official image, the registry, Prometheus and Grafana', () => {
    expect(services['kafka']?.image).toMatch(/^apache\/kafka:/);
    expect(environmentOf(services['kafka']!)['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(environmentOf(services['kafka']!)['KAFKA_AUTO_CREATE_TOPICS_ENABLE']).toBe('false');
    expect(services['schema-registry']?.image).toMatch(
      /^apicurio\/apicurio-registry:|^confluentinc\/cp-schema-registry:/,
    );
    expect(services['prometheus']?.image).toMatch(/^prom\/prometheus:/);
    expect(services['grafana']?.image).toMatch(/^grafana\/grafana:/);
  });

  it.each(Object.keys(PIPELINE_APPS))(
    'builds %s from deploy/docker/Dockerfile with its APP argument',
    (app) => {
      const service = services[app];
      expect(service?.build?.dockerfile).toBe('deploy/docker/Dockerfile');
      expect(service?.build?.args?.['APP']).toBe(app);
      expect(existsSync(join(service!.build!.context, 'deploy/docker/Dockerfile'))).toBe(true);
      expect(environmentOf(service!)['PORT']).toBe(String(PIPELINE_APPS[app]!.port));
    },
  );

  it.each(Object.keys(PIPELINE_APPS))(
    'runs %s read-only, without capabilities, with a healthcheck',
    (app) => {
      const service = services[app]!;
      expect(service.read_only).toBe(true);
      expect(service.tmpfs?.some((mount) => mount.startsWith('/tmp'))).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.healthcheck?.test).toBeDefined();
    },
  );

  it.each(Object.keys(PIPELINE_APPS).filter((app) => app !== 'crm-simulator'))(
    'starts %s only after Kafka and the registry are healthy and topics are provisioned',
    (app) => {
      expect(services[app]?.depends_on).toMatchObject({
        kafka: { condition: 'service_healthy' },
        'schema-registry': { condition: 'service_healthy' },
        topics: { condition: 'service_completed_successfully' },
      });
    },
  );

  it.each(Object.keys(PIPELINE_APPS))('sets every variable %s requires, valid for its env schema', (app) => {
    const env = environmentOf(services[app]!);
    const schemaFile = repoPath('apps', app, 'src/config/env.schema.ts');
    if (existsSync(schemaFile)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { envSchema } = require(schemaFile) as { envSchema: SafeParseSchema };
      const result = envSchema.safeParse(env);
      const problems = (result.error?.issues ?? []).map(
        (issue) => `${issue.path.join('.')}: ${issue.message}`,
      );
      expect(problems).toEqual([]);
    }
    const missing = PIPELINE_APPS[app]!.required.filter((name) => !env[name]);
    expect(missing).toEqual([]);
  });

  it('gives crm-writer the client credentials the CRM simulator accepts', () => {
    const writer = environmentOf(services['crm-writer']!);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { envSchema } = require(repoPath('apps/crm-simulator/src/config/env.schema.ts')) as {
      envSchema: { parse(input: unknown): Record<string, unknown> };
    };
    const simulator = envSchema.parse(environmentOf(services['crm-simulator']!));
    expect(writer['SALESFORCE_INSTANCE_URL']).toBe('http://crm-simulator:3100');
    expect([writer['SALESFORCE_CLIENT_ID'], writer['SALESFORCE_CLIENT_SECRET']]).toEqual([
      simulator['SIMULATOR_SALESFORCE_CLIENT_ID'],
      simulator['SIMULATOR_SALESFORCE_CLIENT_SECRET'],
    ]);
    expect([writer['DYNAMICS_CLIENT_ID'], writer['DYNAMICS_CLIENT_SECRET']]).toEqual([
      simulator['SIMULATOR_DYNAMICS_CLIENT_ID'],
      simulator['SIMULATOR_DYNAMICS_CLIENT_SECRET'],
    ]);
  });

  it('mounts only files that exist in the repository', () => {
    const sources = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0]!)
      .filter((source) => source.startsWith('/'));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(source))).toEqual([]);
  });

  it('provisions every contract topic with its cleanup policy and retention', () => {
    const script = readRepoFile('deploy/docker/provision-topics.sh');
    const declared = [...script.matchAll(/^create (\S+) (delete|compact) (\d+)$/gm)].map(
      ([, name, policy, days]) => ({
        name,
        cleanupPolicy: policy,
        retentionMs: Number(days) * 86_400_000,
      }),
    );
    const expected = TOPIC_SPECS.map(({ name, cleanupPolicy, retentionMs }) => ({
      name,
      cleanupPolicy,
      retentionMs,
    }));
    expect(declared).toEqual(expect.arrayContaining(expected));
    expect(declared).toHaveLength(expected.length);
    expect(services['topics']?.image).toBe(services['kafka']?.image);
  });

  it('scrapes every service at its port with job = service name', () => {
    const prometheus = readYaml<{
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    }>('deploy/prometheus/prometheus.yml');
    for (const [app, { port }] of Object.entries(PIPELINE_APPS)) {
      const job = prometheus.scrape_configs.find((config) => config.job_name === app);
      expect(job?.static_configs.flatMap((config) => config.targets)).toEqual([`${app}:${port}`]);
    }
  });
});
