// Token bucket per CRM org with a concurrency cap. The configured rate is the org's budget; each
// writer instance takes the share of it that matches its assigned partitions (setShare), so scaling
// out never multiplies the call rate. Retry-After pauses every caller, and as Salesforce's
// Sforce-Limit-Info daily usage passes a configured fraction the rate is scaled down linearly to a
// floor, so the daily allocation is stretched instead of exhausted. Reservations are taken in call
// order (the bucket may go negative), so waiting callers are served first-come first-served.
export interface RateLimiterOptions {
  /** Org-wide requests per second. */
  ratePerSecond: number;
  /** Bucket size: requests that may go out back to back. */
  burst: number;
  /** Requests in flight at once (this process). */
  maxConcurrent: number;
  /** Daily-usage fraction above which the rate is scaled down (e.g. 0.8). */
  slowdownFromFraction?: number;
  /** Rate multiplier reached when the daily allocation is used up (e.g. 0.05). */
  slowdownFloor?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RateLimiterSnapshot {
  ratePerSecond: number;
  share: number;
  usageFactor: number;
  inFlight: number;
  pausedUntil: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class TokenBucketRateLimiter {
  private tokens: number;
  private last: number;
  private share = 1;
  private usageFactor = 1;
  private pausedUntil = 0;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly slowFrom: number;
  private readonly floor: number;

  constructor(private readonly options: RateLimiterOptions) {
    if (options.ratePerSecond <= 0 || options.burst < 1 || options.maxConcurrent < 1) {
      throw new RangeError('rate limiter needs ratePerSecond > 0, burst >= 1, maxConcurrent >= 1');
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.slowFrom = options.slowdownFromFraction ?? 0.8;
    this.floor = options.slowdownFloor ?? 0.05;
    this.tokens = options.burst;
    this.last = this.now();
  }

  /** Requests per second this process may make now. */
  effectiveRate(): number {
    return this.options.ratePerSecond * this.share * this.usageFactor;
  }

  /**
   * Reserves one request and returns how long to wait before sending it (0: now). Pure with respect
   * to the injected clock, so the bucket arithmetic is testable without timers.
   */
  reserve(): number {
    const now = this.now();
    this.refill(now);
    this.tokens -= 1;
    const bucketWait = this.tokens >= 0 ? 0 : (-this.tokens / this.effectiveRate()) * 1000;
    return Math.max(bucketWait, this.pausedUntil - now, 0);
  }

  /** Waits for a concurrency slot and a token; pair every acquire with release(). */
  async acquire(): Promise<void> {
    await this.takeSlot();
    try {
      let wait = this.reserve();
      while (wait > 0) {
        await this.sleep(wait);
        // A Retry-After received meanwhile extends the wait of requests already reserved.
        wait = Math.max(0, this.pausedUntil - this.now());
      }
    } catch (error) {
      this.release();
      throw error;
    }
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.inFlight -= 1;
  }

  /** Honour a Retry-After: nobody sends before `ms` from now. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Salesforce `Sforce-Limit-Info: api-usage=used/max`, org-wide. */
  observeUsage(used: number, max: number): void {
    if (!(max > 0) || used < 0) return;
    const fraction = Math.min(1, used / max);
    if (fraction <= this.slowFrom) {
      this.usageFactor = 1;
      return;
    }
    const progress = (fraction - this.slowFrom) / (1 - this.slowFrom);
    this.usageFactor = Math.max(this.floor, 1 - progress * (1 - this.floor));
  }

  /** This instance owns `assigned` of the `total` input partitions (recomputed on every rebalance). */
  setShare(assigned: number, total: number): void {
    this.share = total > 0 && assigned > 0 ? Math.min(1, assigned / total) : 1;
  }

  snapshot(): RateLimiterSnapshot {
    return {
      ratePerSecond: this.effectiveRate(),
      share: this.share,
      usageFactor: this.usageFactor,
      inFlight: this.inFlight,
      pausedUntil: this.pausedUntil,
    };
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed / 1000) * this.effectiveRate());
  }

  private takeSlot(): Promise<void> {
    if (this.inFlight < this.options.maxConcurrent) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    // The slot is handed over by release() without decrementing, so no one can jump the queue.
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** `api-usage=18/5000` (other comma-separated entries such as per-app-api-usage are ignored). */
export function parseSforceLimitInfo(
  header: string | null | undefined,
): { used: number; max: number } | null {
  if (!header) return null;
  const match = /(?:^|[,\s])api-usage=(\d+)\/(\d+)/.exec(header);
  if (!match) return null;
  return { used: Number(match[1]), max: Number(match[2]) };
}
