// The send whose outcome is unknown, on the real broker: its request reaches the broker and is
// written, the connection drops before the answer, and no new connection can be made until the
// producer gives up. kafkajs then rolls the sequence numbers back, and its next one-record send is
// taken by the broker for a retry of the written one: acknowledged, never written. These tests
// reproduce that with kafkajs' own producer, then show SafeIdempotentProducer loses nothing.
import { collectTopic, createTestTopic, stackEnv, uniqueName, useKafkaClients, waitFor } from '@crm/testing';
import { Kafka, logLevel, Partitioners, type Producer, type ISocketFactory } from 'kafkajs';
import { connect, type Socket } from 'node:net';
import { SafeIdempotentProducer, type MessageProducer } from './safe-producer';

/** Sockets kafkajs gets: normal, or (armed) the next request goes out and its answer never comes. */
class FlakyNetwork {
  private armed = false;
  private refusing = false;

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    // A refused connection, as while a broker restarts (nothing listens on port 1).
    const socket: Socket = this.refusing ? connect({ host, port: 1 }) : connect({ host, port }, onConnect);
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = (...args: unknown[]) => {
      const result = write(...args);
      if (this.armed) {
        this.armed = false;
        this.refusing = true;
        // Drop every answer from now on, and close once the broker has had time to append.
        socket.pause();
        socket.removeAllListeners('data');
        setTimeout(() => socket.destroy(new Error('connection lost (test)')), 300);
      }
      return result;
    };
    return socket;
  };

  /** The next request is written and its answer lost; connections are refused until `heal`. */
  loseNextAnswer(): void {
    this.armed = true;
  }

  heal(): void {
    this.refusing = false;
  }
}

function flakyProducer(network: FlakyNetwork): Producer {
  return new Kafka({
    clientId: uniqueName('flaky'),
    brokers: stackEnv().brokers,
    logLevel: logLevel.NOTHING,
    socketFactory: network.socketFactory,
    retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 },
  }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

describe('idempotent producer after a send of unknown outcome', () => {
  const { kafka, admin } = useKafkaClients();

  /** Sends a, then b (lost answer, refused reconnects), then c; what the topic holds, c's offset. */
  const scenario = async (producer: MessageProducer, network: FlakyNetwork) => {
    const topic = await createTestTopic(admin, { prefix: 'unknown-outcome', partitions: 1 });
    const collector = await collectTopic(kafka, topic);
    const send = (value: string) => producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
    try {
      await producer.connect();
      await send('a');
      network.loseNextAnswer();
      await expect(send('b')).rejects.toThrow();
      network.heal();
      // Acknowledged: the broker says it has c.
      const [acked] = await send('c');
      // Everything the partition holds is readable up to its high watermark.
      const [partition] = await admin.fetchTopicOffsets(topic);
      const high = Number(partition?.high ?? 0);
      await waitFor(() => collector.messages.length >= high, {
        timeoutMs: 15_000,
        description: 'the topic read',
      });
      return {
        values: collector.messages.map(({ message }) => String(message.value)),
        cOffset: acked?.baseOffset,
      };
    } finally {
      await collector.stop();
      await producer.disconnect().catch(() => undefined);
    }
  };

  it("reproduces the loss with kafkajs' own producer (why SafeIdempotentProducer exists)", async () => {
    const network = new FlakyNetwork();
    const { values, cOffset } = await scenario(flakyProducer(network), network);
    // b was written though its send failed; c was acknowledged, at b's offset, and is not there.
    expect(values).toEqual(['a', 'b']);
    expect(cOffset).toBe('1');
  }, 60_000);

  it('SafeIdempotentProducer keeps every acknowledged record', async () => {
    const network = new FlakyNetwork();
    const renewed: unknown[] = [];
    const producer = new SafeIdempotentProducer(() => flakyProducer(network), {
      onRenew: (error) => renewed.push(error),
    });
    const { values, cOffset } = await scenario(producer, network);
    expect(values).toEqual(['a', 'b', 'c']);
    expect(cOffset).toBe('2');
    expect(renewed).toHaveLength(1);
    expect(producer.renewals).toBe(1);
  }, 60_000);
});

describe('SafeIdempotentProducer, sends made while its producer is busy', () => {
  const { kafka, admin } = useKafkaClients();

  it('share its next request, and every record arrives, in order per key', async () => {
    // Counts the Produce requests (API key 0) the producer writes.
    let produceRequests = 0;
    const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
      const socket = connect({ host, port }, onConnect);
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = (...args: unknown[]) => {
        const [chunk] = args;
        if (Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === 0) produceRequests += 1;
        return write(...args);
      };
      return socket;
    };
    const producer = new SafeIdempotentProducer(() =>
      new Kafka({
        clientId: uniqueName('coalescing'),
        brokers: stackEnv().brokers,
        logLevel: logLevel.NOTHING,
        socketFactory,
      }).producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
    const topics = await Promise.all(
      ['coalesce-a', 'coalesce-b'].map((prefix) => createTestTopic(admin, { prefix, partitions: 3 })),
    );
    const collectors = await Promise.all(topics.map((topic) => collectTopic(kafka, topic)));
    try {
      await producer.connect();
      // 30 sends at once, as 30 partition batches finishing together: each to both topics, keys k0–k2.
      const sends = Array.from({ length: 30 }, (_, n) =>
        producer.sendBatch({
          acks: -1,
          topicMessages: topics.map((topic) => ({
            topic,
            messages: [{ key: `k${n % 3}`, value: String(n) }],
          })),
        }),
      );
      const written = await Promise.all(sends);
      // Each send learns where both its topics were written.
      for (const metadata of written) {
        expect(new Set(metadata.map(({ topicName }) => topicName))).toEqual(new Set(topics));
        expect(metadata.every(({ errorCode }) => errorCode === 0)).toBe(true);
      }
      // The first goes alone; the 29 made while it was in flight go together (a retried request
      // would add one: at most, not exactly).
      expect(produceRequests).toBeLessThanOrEqual(2);
      for (const collector of collectors) {
        await waitFor(() => collector.messages.length >= 30, {
          timeoutMs: 15_000,
          description: 'the topic read',
        });
        for (const key of ['k0', 'k1', 'k2']) {
          const values = collector.messages
            .filter(({ message }) => String(message.key) === key)
            .map(({ message }) => Number(String(message.value)));
          expect(values).toEqual(Array.from({ length: 30 }, (_, n) => n).filter((n) => `k${n % 3}` === key));
        }
      }
    } finally {
      await Promise.all(collectors.map((collector) => collector.stop()));
      await producer.disconnect();
    }
  }, 60_000);
});
