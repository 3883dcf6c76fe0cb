// opossum circuit breaker per CRM. Only failures that say "the CRM cannot take more now" count:
// 5xx, 429 / REQUEST_LIMIT_EXCEEDED, timeouts, and credential failures (which must stop the flow and
// alert rather than loop). A validation error or a deleted record is the record's problem and never
// opens the breaker. State changes are announced so the app can pause and resume its consumer.
import CircuitBreaker from 'opossum';
import { CrmBreakerOpenError, type CrmProvider, isCrmError } from '../errors/crm.error';

export type BreakerState = 'closed' | 'half-open' | 'open';

export interface BreakerOptions {
  provider: CrmProvider;
  /** Failure percentage over the rolling window that opens the breaker. */
  errorThresholdPercentage?: number;
  /** Requests in the window before the percentage is considered ("sustained"). */
  volumeThreshold?: number;
  rollingCountTimeoutMs?: number;
  /** Time open before one half-open probe is let through. */
  resetTimeoutMs?: number;
}

type Action = () => Promise<unknown>;

export class CrmCircuitBreaker {
  private readonly breaker: CircuitBreaker<[Action], unknown>;
  private readonly listeners = new Set<(state: BreakerState) => void>();

  constructor(private readonly options: BreakerOptions) {
    this.breaker = new CircuitBreaker<[Action], unknown>((action: Action) => action(), {
      timeout: false, // requests carry their own undici timeouts, which count via CrmTimeoutError
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      volumeThreshold: options.volumeThreshold ?? 10,
      rollingCountTimeout: options.rollingCountTimeoutMs ?? 10_000,
      rollingCountBuckets: 10,
      resetTimeout: options.resetTimeoutMs ?? 30_000,
      // errorFilter returning true means "not a failure" for opossum.
      errorFilter: (error: unknown) => !(isCrmError(error) && error.tripsBreaker),
    });
    this.breaker.on('open', () => this.emit('open'));
    this.breaker.on('halfOpen', () => this.emit('half-open'));
    this.breaker.on('close', () => this.emit('closed'));
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  async exec<T>(action: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(action)) as T;
    } catch (error) {
      if (isOpenBreakerRejection(error)) {
        throw new CrmBreakerOpenError(`${this.options.provider} circuit breaker is open`, { cause: error });
      }
      throw error;
    }
  }

  /** Opens at once, e.g. on credentials no refresh can fix; a half-open probe follows after the reset timeout. */
  forceOpen(): void {
    if (!this.breaker.opened) this.breaker.open();
  }

  onStateChange(listener: (state: BreakerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private emit(state: BreakerState): void {
    for (const listener of this.listeners) listener(state);
  }
}

function isOpenBreakerRejection(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EOPENBREAKER';
}
