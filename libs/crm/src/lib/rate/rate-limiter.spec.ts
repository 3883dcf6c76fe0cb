import { parseSforceLimitInfo, TokenBucketRateLimiter } from './rate-limiter';

function clock(start = 0) {
  const state = { now: start };
  return { state, now: () => state.now };
}

describe(TokenBucketRateLimiter.name, () => {
  it('lets a burst through and then spaces requests at the configured rate', () => {
    const c = clock();
    const sut = new TokenBucketRateLimiter({ ratePerSecond: 10, burst: 3, maxConcurrent: 10, now: c.now });
    expect([sut.reserve(), sut.reserve(), sut.reserve()]).toEqual([0, 0, 0]);
    expect(sut.reserve()).toBeCloseTo(100);
    expect(sut.reserve()).toBeCloseTo(200);
  });

  it('refills with elapsed time but never beyond the burst', () => {
    const c = clock();
    const sut = new TokenBucketRateLimiter({ ratePerSecond: 10, burst: 2, maxConcurrent: 10, now: c.now });
    sut.reserve();
    sut.reserve();
    c.state.now += 10_000;
    expect([sut.reserve(), sut.reserve()]).toEqual([0, 0]);
    expect(sut.reserve()).toBeCloseTo(100);
  });

  it('takes a share of the org budget proportional to assigned partitions', () => {
    const c = clock();
    const sut = new TokenBucketRateLimiter({ ratePerSecond: 12, burst: 1, maxConcurrent: 10, now: c.now });
    sut.setShare(2, 6);
    expect(sut.effectiveRate()).toBeCloseTo(4);
    sut.reserve();
    expect(sut.reserve()).toBeCloseTo(250);
  });

  it('holds every request until a Retry-After has passed', () => {
    const c = clock();
    const sut = new TokenBucketRateLimiter({ ratePerSecond: 100, burst: 10, maxConcurrent: 10, now: c.now });
    sut.pauseFor(5_000);
    expect(sut.reserve()).toBe(5_000);
    c.state.now += 4_000;
    expect(sut.reserve()).toBe(1_000);
  });

  it('slows down linearly once daily usage passes the configured fraction', () => {
    const sut = new TokenBucketRateLimiter({
      ratePerSecond: 10,
      burst: 1,
      maxConcurrent: 1,
      slowdownFromFraction: 0.8,
      slowdownFloor: 0.1,
    });
    sut.observeUsage(4_000, 5_000);
    expect(sut.effectiveRate()).toBeCloseTo(10);
    sut.observeUsage(4_500, 5_000);
    expect(sut.effectiveRate()).toBeCloseTo(5.5);
    sut.observeUsage(5_000, 5_000);
    expect(sut.effectiveRate()).toBeCloseTo(1);
  });

  it('caps requests in flight and hands slots over in order', async () => {
    const sut = new TokenBucketRateLimiter({ ratePerSecond: 1_000, burst: 100, maxConcurrent: 2 });
    await sut.acquire();
    await sut.acquire();
    const order: number[] = [];
    const third = sut.acquire().then(() => order.push(3));
    const fourth = sut.acquire().then(() => order.push(4));
    expect(sut.snapshot().inFlight).toBe(2);
    sut.release();
    await third;
    expect(order).toEqual([3]);
    sut.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('waits with the injected sleep for the reserved time', async () => {
    const c = clock();
    const sleeps: number[] = [];
    const sut = new TokenBucketRateLimiter({
      ratePerSecond: 2,
      burst: 1,
      maxConcurrent: 5,
      now: c.now,
      sleep: (ms) => {
        sleeps.push(ms);
        c.state.now += ms;
        return Promise.resolve();
      },
    });
    await sut.acquire();
    await sut.acquire();
    expect(sleeps).toEqual([500]);
  });
});

describe(parseSforceLimitInfo.name, () => {
  it('reads api-usage and ignores the other entries', () => {
    expect(parseSforceLimitInfo('api-usage=18/5000')).toEqual({ used: 18, max: 5000 });
    expect(parseSforceLimitInfo('per-app-api-usage=17/250(appName=x), api-usage=19/5000')).toEqual({
      used: 19,
      max: 5000,
    });
    expect(parseSforceLimitInfo(null)).toBeNull();
    expect(parseSforceLimitInfo('per-app-api-usage=17/250(appName=x)')).toBeNull();
  });
});
