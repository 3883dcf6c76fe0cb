// A unit of work bigger than the broker takes in one record batch (a catch-up or a replay changes
// the state of a thousand conversations at once): before the output was sent in chunks, the
// broker refused it with MESSAGE_TOO_LARGE, the transaction aborted, and the reprocessed unit
// failed the same way for ever.
import { collectTopic, createTestTopic, uniqueName, useKafkaClients } from '@crm/testing';
import { TransactionalSink } from './output.sink';

describe('TransactionalSink with a unit larger than a record batch may be', () => {
  const { kafka, admin } = useKafkaClients();

  it('commits it whole: every record readable, read_committed', async () => {
    const topic = await createTestTopic(admin, { prefix: 'sink-large', partitions: 1 });
    const sink = new TransactionalSink({
      kafka,
      groupId: uniqueName('sink-large'),
      transactionalIdPrefix: uniqueName('sink-large'),
      inputTopic: topic,
      transactionTimeoutMs: 60_000,
    });
    const collector = await collectTopic(kafka, topic);
    try {
      await sink.acquire([0]);
      // 3,000 changelog records of 1 KiB: 3 MiB, three times the broker's message.max.bytes.
      const messages = Array.from({ length: 3_000 }, (_, i) => ({
        key: `conversation-${i}`,
        value: Buffer.alloc(1_024, i % 256),
        partition: 0,
      }));
      await sink.write(0, [{ topic, messages }], null);
      const read = await collector.waitForCount(3_000, { timeoutMs: 30_000 });
      expect(read.map(({ message }) => String(message.key))).toEqual(messages.map((m) => m.key));
    } finally {
      await collector.stop();
      await sink.close();
    }
  }, 60_000);
});
