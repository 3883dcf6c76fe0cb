// Bounded exponential backoff with full jitter for retriable CRM failures, honouring a server's
// Retry-After when it asks for longer. Permanent errors are rethrown at once; after the last attempt
// the error is rethrown with the attempt count so the caller can dead-letter it as retriable.
// Throttling is different: a 429 (or REQUEST_LIMIT_EXCEEDED) says "not now", not "this update is
// bad", so it never uses up the attempts. The update waits as asked, the breaker pauses consumption
// while throttling lasts, and it applies once the CRM accepts calls again, instead of becoming a
// dead letter someone must re-drive (the chaos test lost an update that way under a 429 burst).
import { CrmBreakerOpenError, CrmRateLimitedError, isCrmError } from '../errors/crm.error';

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait (e.g. to heartbeat the consumer group). */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void | Promise<void>;
  /**
   * While the breaker is open nothing is sent and nothing is lost: the attempt is not counted and the
   * caller waits for it to close (the consumer is paused meanwhile). Returns when a probe may go.
   */
  waitForBreaker?: () => Promise<void>;
}

export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(
      `gave up after ${attempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
      { cause: lastError },
    );
    this.name = 'RetriesExhaustedError';
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
  retryAfterMs: number | null,
): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * ceiling);
  return Math.min(options.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Runs `action` until it succeeds, fails permanently, or runs out of attempts. Returns the result and attempts used. */
export async function withRetry<T>(
  action: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<{ value: T; attempts: number }> {
  const sleep = options.sleep ?? defaultSleep;
  let attempt = 0;
  /** Failures that use up the budget (not throttling, not the breaker's refusals). */
  let counted = 0;
  for (;;) {
    attempt += 1;
    try {
      return { value: await action(attempt), attempts: attempt };
    } catch (error) {
      if (error instanceof CrmBreakerOpenError && options.waitForBreaker) {
        attempt -= 1;
        await options.waitForBreaker();
        continue;
      }
      if (!isCrmError(error) || !error.retriable) throw error;
      if (!(error instanceof CrmRateLimitedError)) counted += 1;
      if (counted >= options.maxAttempts) throw new RetriesExhaustedError(attempt, error);
      const delay = backoffDelay(Math.min(attempt, options.maxAttempts), options, error.retryAfterMs);
      await options.onRetry?.(attempt, delay, error);
      await sleep(delay);
    }
  }
}
