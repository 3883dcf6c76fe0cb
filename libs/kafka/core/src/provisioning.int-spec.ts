import { testKafka, uniqueName } from '@crm/testing';
import { type Admin, ConfigResourceTypes } from 'kafkajs';
import { TopicDriftError } from './errors';
import { provisionTopics } from './provisioning';

describe(provisionTopics.name, () => {
  let admin: Admin;

  beforeAll(async () => {
    admin = testKafka().admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('creates missing topics with their declared partitions, cleanup policy and retention, then is a no-op', async () => {
    const events = uniqueName('prov-events');
    const changelog = uniqueName('prov-changelog');
    const declarations = [
      { name: events, cleanupPolicy: 'delete' as const, retentionMs: 604_800_000 },
      { name: changelog, cleanupPolicy: 'compact' as const, retentionMs: 86_400_000, partitions: 2 },
    ];

    const first = await provisionTopics(admin, declarations, { defaultPartitions: 3, replicationFactor: 1 });
    const second = await provisionTopics(admin, declarations, { defaultPartitions: 3, replicationFactor: 1 });

    expect(first.created.sort()).toEqual([events, changelog].sort());
    expect(second).toEqual({ created: [], existing: [events, changelog] });
    const metadata = await admin.fetchTopicMetadata({ topics: [events, changelog] });
    expect(metadata.topics.find((t) => t.name === events)?.partitions).toHaveLength(3);
    expect(metadata.topics.find((t) => t.name === changelog)?.partitions).toHaveLength(2);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: changelog, configNames: ['cleanup.policy', 'retention.ms'] },
      ],
    });
    const entries = Object.fromEntries(
      configs.resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]),
    );
    expect(entries).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '86400000' });
  });

  it('refuses a topic whose partition count drifted from its declaration', async () => {
    const name = uniqueName('prov-drift');
    await provisionTopics(admin, [{ name, cleanupPolicy: 'delete', retentionMs: 1000, partitions: 2 }], {
      defaultPartitions: 3,
      replicationFactor: 1,
    });
    await expect(
      provisionTopics(admin, [{ name, cleanupPolicy: 'delete', retentionMs: 1000, partitions: 4 }], {
        defaultPartitions: 3,
        replicationFactor: 1,
      }),
    ).rejects.toBeInstanceOf(TopicDriftError);
  });
});
