import { type Producer, type RecordMetadata } from 'kafkajs';
import { SafeIdempotentProducer } from './safe-producer';

/** A kafkajs producer stand-in whose sends finish when the test says so. */
class FakeProducer {
  static made: FakeProducer[] = [];
  readonly pending: Array<{ resolve: (value: RecordMetadata[]) => void; reject: (error: Error) => void }> =
    [];
  connected = false;
  disconnected = false;

  constructor() {
    FakeProducer.made.push(this);
  }

  connect = jest.fn(() => {
    this.connected = true;
    return Promise.resolve();
  });
  disconnect = jest.fn(() => {
    this.disconnected = true;
    return Promise.resolve();
  });
  send = jest.fn(
    () => new Promise<RecordMetadata[]>((resolve, reject) => this.pending.push({ resolve, reject })),
  );
  sendBatch = this.send;
}

const record = { topic: 't', messages: [{ value: 'v' }] };
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(SafeIdempotentProducer.name, () => {
  beforeEach(() => {
    FakeProducer.made = [];
  });
  const safe = (concurrency?: number) =>
    new SafeIdempotentProducer(
      () => new FakeProducer() as unknown as Producer,
      concurrency === undefined ? {} : { concurrency },
    );

  it('runs one send at a time on a producer', async () => {
    const producer = safe();
    const first = producer.send(record);
    const second = producer.send(record);
    await flush();
    const [made] = FakeProducer.made;
    expect(made?.send).toHaveBeenCalledTimes(1);
    made?.pending[0]?.resolve([]);
    await first;
    await flush();
    expect(made?.send).toHaveBeenCalledTimes(2);
    made?.pending[1]?.resolve([]);
    await second;
    expect(FakeProducer.made).toHaveLength(1);
  });

  it('replaces the producer after a failed send, so its sequence numbers are never reused', async () => {
    const renewed: unknown[] = [];
    const producer = new SafeIdempotentProducer(() => new FakeProducer() as unknown as Producer, {
      onRenew: (error) => renewed.push(error),
    });
    const failing = producer.send(record);
    await flush();
    FakeProducer.made[0]?.pending[0]?.reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    const next = producer.send(record);
    await flush();
    expect(FakeProducer.made).toHaveLength(2);
    expect(FakeProducer.made[0]?.disconnected).toBe(true);
    expect(FakeProducer.made[1]?.send).toHaveBeenCalledTimes(1);
    FakeProducer.made[1]?.pending[0]?.resolve([]);
    await next;
    expect(producer.renewals).toBe(1);
    expect(renewed).toEqual([new Error('connection lost')]);
  });

  it('runs concurrent sends on producers of their own', async () => {
    const producer = safe(2);
    const sends = [producer.send(record), producer.sendBatch({ topicMessages: [record] })];
    await flush();
    expect(FakeProducer.made).toHaveLength(2);
    for (const made of FakeProducer.made) expect(made.send).toHaveBeenCalledTimes(1);
    for (const made of FakeProducer.made) made.pending[0]?.resolve([]);
    await Promise.all(sends);
  });

  it('disconnects only once the sends in flight have finished', async () => {
    const producer = safe();
    await producer.connect();
    expect(producer.isConnected()).toBe(true);
    const inFlight = producer.send(record);
    await flush();
    let closed = false;
    const closing = producer.disconnect().then(() => {
      closed = true;
    });
    await flush();
    expect(producer.isConnected()).toBe(false);
    expect(closed).toBe(false);
    FakeProducer.made[0]?.pending[0]?.resolve([]);
    await inFlight;
    await closing;
    expect(FakeProducer.made[0]?.disconnected).toBe(true);
  });

  it('splits a send larger than a request may be into several, in order, on the same producer', async () => {
    const producer = new SafeIdempotentProducer(() => new FakeProducer() as unknown as Producer, {
      maxRequestBytes: 2_000,
    });
    const messages = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(900) }));
    const sending = producer.send({ topic: 't', acks: -1, messages });
    const made = FakeProducer.made;
    for (let request = 0; request < 3; request += 1) {
      await flush();
      made[0]?.pending[request]?.resolve([]);
    }
    await sending;
    const calls = made[0]?.send.mock.calls as unknown as Array<
      [{ acks: number; topicMessages: Array<{ messages: Array<{ key: string }> }> }]
    >;
    expect(calls.map(([batch]) => batch.topicMessages.flatMap((t) => t.messages.map((m) => m.key)))).toEqual([
      ['k0', 'k1'],
      ['k2', 'k3'],
      ['k4'],
    ]);
    expect(calls.every(([batch]) => batch.acks === -1)).toBe(true);
    expect(made).toHaveLength(1);
  });

  it('fails a send whose producer cannot connect, and tries a new one next time', async () => {
    let attempt = 0;
    const producer = new SafeIdempotentProducer(() => {
      const fake = new FakeProducer();
      attempt += 1;
      if (attempt === 1) fake.connect.mockRejectedValueOnce(new Error('broker unreachable'));
      return fake as unknown as Producer;
    });
    await expect(producer.send(record)).rejects.toThrow('broker unreachable');
    const next = producer.send(record);
    await flush();
    FakeProducer.made[1]?.pending[0]?.resolve([]);
    await next;
    expect(FakeProducer.made).toHaveLength(2);
  });

  describe('sends that wait for a producer', () => {
    type Sent = {
      acks?: number;
      topicMessages: Array<{ topic: string; messages: Array<{ value: string }> }>;
    };
    const sentBy = (made: FakeProducer | undefined): Sent[] =>
      (made?.send.mock.calls as unknown as Array<[Sent]>).map(([batch]) => batch);
    const values = (batch: Sent | undefined) =>
      batch?.topicMessages.map(({ topic, messages }) => [topic, messages.map((m) => m.value)]);
    const written = (topicName: string, partition: number): RecordMetadata => ({
      topicName,
      partition,
      errorCode: 0,
    });

    it('go in one request when the producer frees, each topic once, records in the order sent', async () => {
      const producer = safe();
      const first = producer.send({ topic: 't', messages: [{ value: 'a' }] });
      await flush();
      const second = producer.send({ topic: 't', messages: [{ value: 'b' }] });
      const third = producer.sendBatch({
        topicMessages: [
          { topic: 'u', messages: [{ value: 'c' }] },
          { topic: 't', messages: [{ value: 'd' }] },
        ],
      });
      const fourth = producer.send({ topic: 't', messages: [{ value: 'e' }] });
      const [made] = FakeProducer.made;
      expect(made?.send).toHaveBeenCalledTimes(1);
      made?.pending[0]?.resolve([written('t', 0)]);
      await expect(first).resolves.toEqual([written('t', 0)]);
      await flush();
      expect(made?.send).toHaveBeenCalledTimes(2);
      expect(values(sentBy(made)[1])).toEqual([
        ['t', ['b', 'd', 'e']],
        ['u', ['c']],
      ]);
      made?.pending[1]?.resolve([written('t', 1), written('u', 2)]);
      await expect(second).resolves.toEqual([written('t', 1)]);
      await expect(third).resolves.toEqual([written('t', 1), written('u', 2)]);
      await expect(fourth).resolves.toEqual([written('t', 1)]);
    });

    it('go together only with the same settings, never ahead of an earlier send', async () => {
      const producer = safe();
      const first = producer.send({ topic: 't', messages: [{ value: 'a' }] });
      await flush();
      const sends = [
        producer.send({ topic: 't', acks: -1, messages: [{ value: 'b' }] }),
        // No acks is kafkajs' default, all (-1): the same settings.
        producer.send({ topic: 't', messages: [{ value: 'c' }] }),
        producer.send({ topic: 't', acks: -1, timeout: 5_000, messages: [{ value: 'd' }] }),
        producer.send({ topic: 't', acks: -1, messages: [{ value: 'e' }] }),
      ];
      const [made] = FakeProducer.made;
      for (let request = 0; request < 4; request += 1) {
        await flush();
        made?.pending[request]?.resolve([]);
      }
      await Promise.all([first, ...sends]);
      expect(sentBy(made).map(values)).toEqual([
        [['t', ['a']]],
        [['t', ['b', 'c']]],
        [['t', ['d']]],
        [['t', ['e']]],
      ]);
      expect(sentBy(made)[2]).toMatchObject({ timeout: 5_000 });
    });

    it('are sent before disconnect() disconnects', async () => {
      const producer = safe();
      const first = producer.send(record);
      await flush();
      const queued = producer.send({ topic: 't', messages: [{ value: 'queued' }] });
      const closing = producer.disconnect();
      const [made] = FakeProducer.made;
      made?.pending[0]?.resolve([]);
      await first;
      await flush();
      expect(values(sentBy(made)[1])).toEqual([['t', ['queued']]]);
      expect(made?.disconnected).toBe(false);
      made?.pending[1]?.resolve([]);
      await queued;
      await closing;
      expect(made?.disconnected).toBe(true);
      expect(FakeProducer.made).toHaveLength(1);
    });

    it('a send kafkajs would refuse fails alone, before it is queued', async () => {
      const producer = safe();
      const first = producer.send(record);
      await flush();
      const bad = producer.send({ topic: 't', messages: [{ value: undefined as unknown as string }] });
      const good = producer.send({ topic: 't', messages: [{ value: 'good' }] });
      await expect(bad).rejects.toThrow('Invalid message without value for topic "t"');
      const [made] = FakeProducer.made;
      made?.pending[0]?.resolve([]);
      await first;
      await flush();
      expect(values(sentBy(made)[1])).toEqual([['t', ['good']]]);
      made?.pending[1]?.resolve([]);
      await good;
      expect(producer.renewals).toBe(0);
    });

    it('all fail when their request fails, and the next send gets a new producer', async () => {
      const producer = safe();
      const first = producer.send(record);
      await flush();
      const together = [producer.send(record), producer.send(record)];
      FakeProducer.made[0]?.pending[0]?.resolve([]);
      await first;
      await flush();
      FakeProducer.made[0]?.pending[1]?.reject(new Error('connection lost'));
      for (const send of together) await expect(send).rejects.toThrow('connection lost');
      const next = producer.send(record);
      await flush();
      expect(FakeProducer.made).toHaveLength(2);
      FakeProducer.made[1]?.pending[0]?.resolve([]);
      await next;
      expect(producer.renewals).toBe(1);
    });
  });
});
