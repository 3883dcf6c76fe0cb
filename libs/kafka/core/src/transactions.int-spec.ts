// The aggregator's exactly-once path depends on these behaving with kafkajs against this broker:
// transactional produce with sendOffsets, commit and abort, seen through read_committed.
import { collectTopic, createTestTopic, testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { createIdempotentProducer, createTransactionalProducer } from './producer';

describe('Kafka transactions', () => {
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  async function committedOffset(groupId: string, topic: string): Promise<string | undefined> {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry?.partitions.find((partition) => partition.partition === 0)?.offset;
  }

  it('makes output and consumed offsets visible together on commit, and neither on abort', async () => {
    const input = await createTestTopic(admin, { prefix: 'tx-in' });
    const output = await createTestTopic(admin, { prefix: 'tx-out' });
    const groupId = uniqueName('tx-group');
    const seed = createIdempotentProducer(kafka);
    await seed.connect();
    await seed.send({ topic: input, acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    await seed.disconnect();

    const sut = createTransactionalProducer(kafka, uniqueName('tx-id'));
    await sut.connect();

    const aborted = await sut.transaction();
    await aborted.send({ topic: output, messages: [{ key: 'k', value: 'aborted' }] });
    await aborted.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '1' }] }],
    });
    await aborted.abort();

    const committed = await sut.transaction();
    await committed.send({ topic: output, messages: [{ key: 'k', value: 'committed' }] });
    await committed.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '2' }] }],
    });
    await committed.commit();
    await sut.disconnect();

    const readCommitted = await collectTopic(kafka, output);
    const readUncommitted = await collectTopic(kafka, output, { readUncommitted: true });
    await readCommitted.waitForCount(1);
    await readUncommitted.waitForCount(2);
    // The committed record sits behind the aborted one and its control markers, so once the
    // uncommitted reader has both, the committed reader has caught up with everything it will get.
    await waitFor(async () => (await admin.fetchTopicOffsets(output))[0]?.high === '4', {
      description: 'markers written',
    });

    expect(readCommitted.messages.map((entry) => entry.message.value?.toString())).toEqual(['committed']);
    expect(readUncommitted.messages.map((entry) => entry.message.value?.toString())).toEqual([
      'aborted',
      'committed',
    ]);
    expect(await committedOffset(groupId, input)).toBe('2');
    await Promise.all([readCommitted.stop(), readUncommitted.stop()]);
  });

  it('fences a zombie producer that shares the transactional id', async () => {
    const output = await createTestTopic(admin, { prefix: 'tx-fence' });
    const transactionalId = uniqueName('tx-zombie');
    const zombie = createTransactionalProducer(kafka, transactionalId);
    await zombie.connect();
    const zombieTx = await zombie.transaction();
    await zombieTx.send({ topic: output, messages: [{ value: 'from-zombie' }] });

    const successor = createTransactionalProducer(kafka, transactionalId);
    await successor.connect();
    const tx = await successor.transaction();
    await tx.send({ topic: output, messages: [{ value: 'from-successor' }] });
    await tx.commit();

    await expect(zombieTx.commit()).rejects.toThrow();
    const reader = await collectTopic(kafka, output);
    await reader.waitForCount(1);
    expect(reader.messages.map((entry) => entry.message.value?.toString())).toEqual(['from-successor']);
    await Promise.all([reader.stop(), successor.disconnect(), zombie.disconnect().catch(() => undefined)]);
  });
});
