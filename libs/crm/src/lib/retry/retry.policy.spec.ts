import {
  CrmBreakerOpenError,
  CrmRateLimitedError,
  CrmUnavailableError,
  CrmValidationError,
} from '../errors/crm.error';
import { RetriesExhaustedError, withRetry } from './retry.policy';

describe(withRetry.name, () => {
  const options = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1_000, random: () => 1 };

  function failing(errors: Error[]): { action: () => Promise<string>; calls: () => number } {
    let calls = 0;
    return {
      action: () => {
        const error = errors[calls];
        calls += 1;
        return error ? Promise.reject(error) : Promise.resolve('done');
      },
      calls: () => calls,
    };
  }

  it('retries an unavailable CRM with backoff and gives up after the last attempt', async () => {
    const delays: number[] = [];
    const { action, calls } = failing(Array.from({ length: 5 }, () => new CrmUnavailableError('503')));

    await expect(
      withRetry(action, { ...options, sleep: (ms) => Promise.resolve(void delays.push(ms)) }),
    ).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(calls()).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it('rethrows a permanent error at once', async () => {
    const { action, calls } = failing([new CrmValidationError('bad field')]);

    await expect(withRetry(action, { ...options, sleep: () => Promise.resolve() })).rejects.toBeInstanceOf(
      CrmValidationError,
    );
    expect(calls()).toBe(1);
  });

  it('never gives up on throttling: waits as Retry-After asks, however many 429s come', async () => {
    const delays: number[] = [];
    const throttled = Array.from(
      { length: 10 },
      () => new CrmRateLimitedError('429', { status: 429, retryAfterMs: 500 }),
    );
    const { action, calls } = failing(throttled);

    const result = await withRetry(action, {
      ...options,
      sleep: (ms) => Promise.resolve(void delays.push(ms)),
    });

    expect(result).toEqual({ value: 'done', attempts: 11 });
    expect(calls()).toBe(11);
    expect(delays.every((ms) => ms >= 500 && ms <= 1_000)).toBe(true);
  });

  it('counts only the other failures between 429s against the attempts', async () => {
    const { action, calls } = failing([
      new CrmRateLimitedError('429', { status: 429 }),
      new CrmUnavailableError('503'),
      new CrmRateLimitedError('429', { status: 429 }),
      new CrmUnavailableError('503'),
      new CrmUnavailableError('503'),
      new CrmUnavailableError('503'),
    ]);

    await expect(withRetry(action, { ...options, sleep: () => Promise.resolve() })).rejects.toBeInstanceOf(
      RetriesExhaustedError,
    );
    expect(calls()).toBe(5);
  });

  it('does not count a call the open breaker refused, and waits for the breaker', async () => {
    let waits = 0;
    const { action, calls } = failing([
      new CrmBreakerOpenError('open'),
      new CrmBreakerOpenError('open'),
      new CrmUnavailableError('503'),
    ]);

    const result = await withRetry(action, {
      ...options,
      sleep: () => Promise.resolve(),
      waitForBreaker: () => Promise.resolve(void (waits += 1)),
    });

    expect(result).toEqual({ value: 'done', attempts: 2 });
    expect(calls()).toBe(4);
    expect(waits).toBe(2);
  });
});
