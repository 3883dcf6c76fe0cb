import { backoffDelayMs, parseRetryAfterMs, rateLimitDelayMs, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 };

describe(backoffDelayMs.name, () => {
  it('doubles per retry between half and all of the ceiling', () => {
    expect(backoffDelayMs(0, policy, () => 0)).toBe(50);
    expect(backoffDelayMs(0, policy, () => 1)).toBe(100);
    expect(backoffDelayMs(2, policy, () => 1)).toBe(400);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelayMs(20, policy, () => 1)).toBe(1_000);
  });
});

describe(parseRetryAfterMs.name, () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('3', 0)).toBe(3_000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.UTC(2026, 0, 1))).toBe(10_000);
  });

  it('answers undefined for an absent or unreadable header', () => {
    expect(parseRetryAfterMs(undefined, 0)).toBeUndefined();
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
  });
});

describe(rateLimitDelayMs.name, () => {
  it('waits the server hint plus at most one base delay of jitter', () => {
    expect(rateLimitDelayMs(0, 2_000, policy, () => 0)).toBe(2_000);
    expect(rateLimitDelayMs(0, 2_000, policy, () => 1)).toBe(2_100);
  });

  it('falls back to backoff without a hint', () => {
    expect(rateLimitDelayMs(1, undefined, policy, () => 1)).toBe(200);
  });

  it('declines to wait out a hint longer than maxRetryAfterMs', () => {
    expect(rateLimitDelayMs(0, 60_000, policy, () => 0)).toBeUndefined();
  });
});
