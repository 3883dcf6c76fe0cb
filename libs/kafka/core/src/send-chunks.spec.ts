import { type TopicMessages } from 'kafkajs';
import { chunkTopicMessages, recordBytes } from './send-chunks';

const record = (id: number, bytes: number) => ({ key: `k${id}`, value: Buffer.alloc(bytes, id % 256) });

describe(chunkTopicMessages.name, () => {
  it('keeps a send under the budget in one chunk', () => {
    const input: TopicMessages[] = [{ topic: 'a', messages: [record(1, 10), record(2, 10)] }];
    expect(chunkTopicMessages(input, 1_000)).toEqual([input]);
  });

  it('splits records over the budget into chunks, each under it, in order', () => {
    const messages = Array.from({ length: 100 }, (_, i) => record(i, 1_000));
    const chunks = chunkTopicMessages(
      [
        { topic: 'a', messages },
        { topic: 'b', messages: [record(500, 10)] },
      ],
      10_000,
    );
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      const bytes = chunk.flatMap((t) => t.messages).reduce((sum, m) => sum + recordBytes(m), 0);
      expect(bytes).toBeLessThanOrEqual(10_000);
    }
    const flattened = chunks.flatMap((chunk) =>
      chunk.flatMap((t) => t.messages.map((m) => `${t.topic}:${String(m.key)}`)),
    );
    expect(flattened).toEqual([...messages.map((m) => `a:${m.key}`), 'b:k500']);
  });

  it('sends a record larger than the budget alone', () => {
    const chunks = chunkTopicMessages(
      [{ topic: 'a', messages: [record(1, 10), record(2, 5_000), record(3, 10)] }],
      1_000,
    );
    expect(chunks.map((chunk) => chunk.flatMap((t) => t.messages.map((m) => m.key)))).toEqual([
      ['k1'],
      ['k2'],
      ['k3'],
    ]);
  });

  it('counts keys, values and headers', () => {
    const bare = recordBytes({ key: 'k', value: 'v' });
    expect(recordBytes({ key: 'k', value: 'v', headers: { trace: 'x'.repeat(100) } })).toBeGreaterThan(
      bare + 100,
    );
    expect(recordBytes({ key: null, value: null })).toBeLessThan(bare);
  });
});
