import { createLogger } from '@crm/observability';
import { testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { KafkaLease } from './notifications.lease';

const logger = createLogger({ service: 'test', level: 'silent', format: 'json' });

describe(KafkaLease.name, () => {
  let kafka: Kafka;
  let admin: Admin;
  const leases: KafkaLease[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(leases.splice(0).map((lease) => lease.stop().catch(() => undefined)));
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  function lease(topic: string, groupId: string, log: string[], name: string): KafkaLease {
    const sut = new KafkaLease({
      kafka,
      topic,
      groupId,
      logger,
      sessionTimeoutMs: 6_000,
      onAcquired: () => void log.push(`${name}+`),
      onReleased: () => void log.push(`${name}-`),
    });
    leases.push(sut);
    return sut;
  }

  it('creates its single-partition topic and lets exactly one of two members hold the lease', async () => {
    const topic = uniqueName('lease');
    const groupId = uniqueName('lease-group');
    const log: string[] = [];
    const first = lease(topic, groupId, log, 'a');
    const second = lease(topic, groupId, log, 'b');

    await first.start();
    await waitFor(() => first.isHeld(), { description: 'first holds', timeoutMs: 30_000 });
    await second.start();
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0]?.members.length === 2, {
      description: 'two members',
      timeoutMs: 30_000,
    });
    await waitFor(() => first.isHeld() !== second.isHeld(), {
      description: 'one holder after rebalance',
      timeoutMs: 30_000,
    });

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]!.partitions).toHaveLength(1);
    expect([first.isHeld(), second.isHeld()].filter(Boolean)).toHaveLength(1);
  });

  it('hands the lease to the other member when the holder stops', async () => {
    const topic = uniqueName('lease');
    const groupId = uniqueName('lease-group');
    const log: string[] = [];
    const first = lease(topic, groupId, log, 'a');
    const second = lease(topic, groupId, log, 'b');
    await first.start();
    await waitFor(() => first.isHeld(), { description: 'first holds', timeoutMs: 30_000 });
    await second.start();
    await waitFor(async () => (await admin.describeGroups([groupId])).groups[0]?.members.length === 2, {
      description: 'two members',
      timeoutMs: 30_000,
    });
    const holder = first.isHeld() ? first : second;
    const other = holder === first ? second : first;

    await holder.stop();

    await waitFor(() => other.isHeld(), { description: 'lease moved', timeoutMs: 30_000 });
    expect(holder.isHeld()).toBe(false);
    expect(
      log.filter((entry) => entry.endsWith('+')).length - log.filter((entry) => entry.endsWith('-')).length,
    ).toBe(1);
  });
});
