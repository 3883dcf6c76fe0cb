// The aggregator's exactly-once path depends on these behaving with kafkajs against this broker:
// transactional produce with sendOffsets, commit and abort, seen through read_committed.
import { collectTopic, createTestTopic, testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka, type Producer } from 'kafkajs';
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

  // patches/kafkajs+2.2.4.patch: kafkajs looked its coordinators up before every transactional
  // request (four FindCoordinator round trips per transaction); the patch keeps them until a
  // request to one fails.
  describe('coordinator lookups (patched kafkajs)', () => {
    function countLookups(producer: Producer): { readonly count: () => number } {
      let lookups = 0;
      producer.on(producer.events.REQUEST, (event) => {
        if (event.payload.apiName === 'GroupCoordinator') lookups += 1;
      });
      return { count: () => lookups };
    }

    async function commitOne(
      producer: Producer,
      output: string,
      input: string,
      groupId: string,
      offset: string,
    ) {
      const tx = await producer.transaction();
      await tx.send({ topic: output, messages: [{ value: offset }] });
      await tx.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic: input, partitions: [{ partition: 0, offset }] }],
      });
      await tx.commit();
    }

    it('looks the transaction and group coordinators up once across transactions', async () => {
      const input = await createTestTopic(admin, { prefix: 'tx-lookup-in' });
      const output = await createTestTopic(admin, { prefix: 'tx-lookup-out' });
      const groupId = uniqueName('tx-lookup-group');
      const producer = createTransactionalProducer(kafka, uniqueName('tx-lookup'));
      const lookups = countLookups(producer);
      await producer.connect();

      for (const offset of ['1', '2', '3']) await commitOne(producer, output, input, groupId, offset);
      await producer.disconnect();

      // One for the transaction coordinator, one for the group's; unpatched kafkajs makes 13.
      expect(lookups.count()).toBe(2);
      expect(await committedOffset(groupId, input)).toBe('3');
    });

    it('looks the coordinator up again after a request to it fails', async () => {
      const first = await createTestTopic(admin, { prefix: 'tx-relookup-a' });
      const second = await createTestTopic(admin, { prefix: 'tx-relookup-b' });
      const transactionalId = uniqueName('tx-relookup');
      const zombie = createTransactionalProducer(kafka, transactionalId);
      const lookups = countLookups(zombie);
      await zombie.connect();
      const zombieTx = await zombie.transaction();
      await zombieTx.send({ topic: first, messages: [{ value: 'from-zombie' }] });
      const cached = lookups.count();

      const successor = createTransactionalProducer(kafka, transactionalId);
      await successor.connect();
      const fence = await successor.transaction();
      await fence.abort();

      // Fenced: adding a partition fails at the (cached) coordinator, which is then forgotten, so
      // the commit that follows looks it up again before it too is refused.
      await expect(zombieTx.send({ topic: second, messages: [{ value: 'x' }] })).rejects.toThrow();
      await expect(zombieTx.commit()).rejects.toThrow();
      expect(lookups.count()).toBeGreaterThan(cached);
      await Promise.all([successor.disconnect(), zombie.disconnect().catch(() => undefined)]);
    });
  });
});
