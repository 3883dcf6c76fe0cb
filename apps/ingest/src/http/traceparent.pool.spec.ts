import { TraceparentPool } from './traceparent.pool';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe(TraceparentPool.name, () => {
  it('hands out valid, distinct traceparents across pool refills', () => {
    const sut = new TraceparentPool();
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) {
      const value = sut.next();
      expect(value).toMatch(TRACEPARENT);
      seen.add(value);
    }
    expect(seen.size).toBe(1_000);
  });

  it('never reuses trace or span ids between consecutive values', () => {
    const sut = new TraceparentPool();
    const [, traceA, spanA] = sut.next().split('-');
    const [, traceB, spanB] = sut.next().split('-');
    expect(traceB).not.toBe(traceA);
    expect(spanB).not.toBe(spanA);
  });
});
