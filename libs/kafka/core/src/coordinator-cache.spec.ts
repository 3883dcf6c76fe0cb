import { cacheCoordinatorLookups, coordinatorCacheTtl, memoizeCoordinatorLookup } from './coordinator-cache';

const TRANSACTION = 1;

function counting(answers: Array<() => Promise<unknown>> = []) {
  const calls: Array<{ receiver: object; groupId: string; coordinatorType?: number }> = [];
  const lookup = function (this: object, params: { groupId: string; coordinatorType?: number }) {
    calls.push({ receiver: this, ...params });
    const next = answers.shift();
    return next ? next() : Promise.resolve({ coordinator: { nodeId: calls.length } });
  };
  return { calls, lookup };
}

describe('memoizeCoordinatorLookup', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('asks once per cluster, group and coordinator type within the TTL', async () => {
    const { calls, lookup } = counting();
    const cached = memoizeCoordinatorLookup(lookup, 1_000, now);
    const cluster = {};
    const first = await cached.call(cluster, { groupId: 'tx-1', coordinatorType: TRANSACTION });
    clock += 999;
    const second = await cached.call(cluster, { groupId: 'tx-1', coordinatorType: TRANSACTION });
    expect(second).toBe(first);
    expect(calls).toHaveLength(1);

    await cached.call(cluster, { groupId: 'tx-1' }); // the group coordinator of the same id
    await cached.call(cluster, { groupId: 'tx-2', coordinatorType: TRANSACTION });
    await cached.call({}, { groupId: 'tx-1', coordinatorType: TRANSACTION }); // another client
    expect(calls).toHaveLength(4);
  });

  it('asks again once the answer is TTL old', async () => {
    const { calls, lookup } = counting();
    const cached = memoizeCoordinatorLookup(lookup, 1_000, now);
    const cluster = {};
    await cached.call(cluster, { groupId: 'g' });
    clock += 1_000;
    const fresh = await cached.call(cluster, { groupId: 'g' });
    expect(calls).toHaveLength(2);
    expect(fresh).toEqual({ coordinator: { nodeId: 2 } });
  });

  it('shares a lookup in flight and forgets one that failed', async () => {
    let fail: (error: Error) => void = () => undefined;
    const { calls, lookup } = counting([
      () => new Promise((_, reject) => (fail = reject)),
      () => Promise.resolve({ coordinator: { nodeId: 7 } }),
    ]);
    const cached = memoizeCoordinatorLookup(lookup, 1_000, now);
    const cluster = {};
    const a = cached.call(cluster, { groupId: 'g' });
    const b = cached.call(cluster, { groupId: 'g' });
    expect(calls).toHaveLength(1);
    fail(new Error('COORDINATOR_NOT_AVAILABLE'));
    await expect(a).rejects.toThrow('COORDINATOR_NOT_AVAILABLE');
    await expect(b).rejects.toThrow('COORDINATOR_NOT_AVAILABLE');
    await expect(cached.call(cluster, { groupId: 'g' })).resolves.toEqual({ coordinator: { nodeId: 7 } });
    expect(calls).toHaveLength(2);
  });
});

describe('cacheCoordinatorLookups', () => {
  it("wraps kafkajs' Cluster lookup once, keeping the first TTL", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the internal class patched
    const Cluster = require('kafkajs/src/cluster') as {
      prototype: { findGroupCoordinatorMetadata: unknown };
    };
    const original = Cluster.prototype.findGroupCoordinatorMetadata;
    cacheCoordinatorLookups(250);
    const wrapped = Cluster.prototype.findGroupCoordinatorMetadata;
    expect(wrapped).not.toBe(original);
    cacheCoordinatorLookups(5_000);
    expect(Cluster.prototype.findGroupCoordinatorMetadata).toBe(wrapped);
    expect(coordinatorCacheTtl()).toBe(250);
  });
});
