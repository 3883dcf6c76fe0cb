// Declarative topic provisioning: create what is missing with its declared settings; report, never
// silently "fix", a topic whose partition count differs (changing it would move keys between
// partitions and break per-conversation order).
import { type Admin, type ITopicConfig } from 'kafkajs';
import { TopicDriftError } from './errors';

export interface TopicDeclaration {
  name: string;
  cleanupPolicy: 'delete' | 'compact';
  retentionMs: number;
  partitions?: number;
}

export interface ProvisionOptions {
  defaultPartitions: number;
  replicationFactor: number;
}

export interface ProvisionReport {
  created: string[];
  existing: string[];
}

export async function provisionTopics(
  admin: Admin,
  topics: readonly TopicDeclaration[],
  options: ProvisionOptions,
): Promise<ProvisionReport> {
  const present = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !present.has(topic.name));
  if (missing.length > 0) {
    const configs: ITopicConfig[] = missing.map((topic) => ({
      topic: topic.name,
      numPartitions: topic.partitions ?? options.defaultPartitions,
      replicationFactor: options.replicationFactor,
      configEntries: [
        { name: 'cleanup.policy', value: topic.cleanupPolicy },
        { name: 'retention.ms', value: String(topic.retentionMs) },
        ...(topic.cleanupPolicy === 'compact' ? [{ name: 'min.cleanable.dirty.ratio', value: '0.1' }] : []),
      ],
    }));
    // A concurrent provisioner may win the race; createTopics then reports false, which is fine.
    await admin.createTopics({ topics: configs, waitForLeaders: true });
  }
  const existing = topics.filter((topic) => present.has(topic.name));
  if (existing.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: existing.map((topic) => topic.name) });
    for (const topic of existing) {
      const expected = topic.partitions;
      const actual = metadata.topics.find((entry) => entry.name === topic.name)?.partitions.length;
      if (expected !== undefined && actual !== undefined && actual !== expected) {
        throw new TopicDriftError(`topic ${topic.name} has ${actual} partitions, declared ${expected}`);
      }
    }
  }
  return { created: missing.map((topic) => topic.name), existing: existing.map((topic) => topic.name) };
}
