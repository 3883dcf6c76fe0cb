import { BatchingPublisher, type PublisherSettings } from './batching-publisher';
import { ProduceFailedError, ProducerSaturatedError, PublisherClosedError } from './publish.errors';

const settings: PublisherSettings = {
  maxPendingRecords: 10,
  maxBatchRecords: 100,
  concurrency: 1,
  lingerMs: 0,
  sendTimeoutMs: 5_000,
};

/** A sink whose sends the test acknowledges or fails by hand, like a broker would. */
function controlledSink(): {
  sink: (records: string[]) => Promise<void>;
  calls: string[][];
  ack: (index: number) => void;
  fail: (index: number) => void;
} {
  const calls: string[][] = [];
  const settle: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  return {
    calls,
    sink: (records) =>
      new Promise<void>((resolve, reject) => {
        calls.push(records);
        settle.push({ resolve, reject });
      }),
    ack: (index) => settle[index]?.resolve(),
    fail: (index) => settle[index]?.reject(new Error('NOT_ENOUGH_REPLICAS')),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe(BatchingPublisher.name, () => {
  it('sends the records of concurrent publishes in one batch and resolves each after the ack', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, settings);
    let settled = 0;
    const first = sut.publish(['a', 'b']).then(() => (settled += 1));
    const second = sut.publish(['c']).then(() => (settled += 1));
    await until(() => broker.calls.length === 1);
    expect(broker.calls[0]).toEqual(['a', 'b', 'c']);
    expect(settled).toBe(0);
    broker.ack(0);
    await Promise.all([first, second]);
    expect(settled).toBe(2);
  });

  it('queues what arrives while a send is in flight into the next batch', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, settings);
    const first = sut.publish(['a']);
    await until(() => broker.calls.length === 1);
    const second = sut.publish(['b']);
    const third = sut.publish(['c']);
    broker.ack(0);
    await first;
    await until(() => broker.calls.length === 2);
    expect(broker.calls[1]).toEqual(['b', 'c']);
    broker.ack(1);
    await Promise.all([second, third]);
  });

  it('rejects every request of a batch the broker refused', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, settings);
    const first = sut.publish(['a']);
    const second = sut.publish(['b']);
    await until(() => broker.calls.length === 1);
    broker.fail(0);
    await expect(first).rejects.toBeInstanceOf(ProduceFailedError);
    await expect(second).rejects.toBeInstanceOf(ProduceFailedError);
  });

  it('answers with a failure when the broker does not acknowledge within the send timeout', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, { ...settings, sendTimeoutMs: 20 });
    await expect(sut.publish(['a'])).rejects.toThrow('did not acknowledge within 20 ms');
  });

  it('refuses work beyond the pending-record bound at once', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, { ...settings, maxPendingRecords: 3 });
    const accepted = sut.publish(['a', 'b', 'c']);
    await expect(sut.publish(['d'])).rejects.toBeInstanceOf(ProducerSaturatedError);
    await until(() => broker.calls.length === 1);
    broker.ack(0);
    await accepted;
  });

  it('refuses work while timed-out sends are still retrying inside the producer', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, { ...settings, sendTimeoutMs: 10 });
    await expect(sut.publish(['a'])).rejects.toBeInstanceOf(ProduceFailedError);
    await expect(sut.publish(['b'])).rejects.toBeInstanceOf(ProduceFailedError);
    await expect(sut.publish(['c'])).rejects.toBeInstanceOf(ProducerSaturatedError);
    broker.ack(0);
    broker.ack(1);
    await until(() => sut.pendingRecords === 0);
    const recovered = sut.publish(['d']);
    await until(() => broker.calls.length === 3);
    broker.ack(2);
    await expect(recovered).resolves.toBeUndefined();
  });

  it('drains in-flight work on shutdown and refuses new work', async () => {
    const broker = controlledSink();
    const sut = new BatchingPublisher(broker.sink, settings);
    const inFlight = sut.publish(['a']);
    await until(() => broker.calls.length === 1);
    const drained = sut.drain();
    await expect(sut.publish(['b'])).rejects.toBeInstanceOf(PublisherClosedError);
    broker.ack(0);
    await Promise.all([inFlight, drained]);
    expect(broker.calls).toEqual([['a']]);
  });
});
