// Caches the OAuth access token until shortly before it expires; concurrent callers share one
// in-flight refresh (single flight), so a burst of requests costs one token request.
import { type Clock, systemClock } from './clock';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface TokenProviderOptions {
  fetchToken: () => Promise<IssuedToken>;
  clock?: Clock;
  /** Refresh this long before expiry, but never more than a tenth of the token's lifetime. */
  refreshSkewMs?: number;
}

export class TokenProvider {
  private cached: { value: string; refreshAt: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly clock: Clock;
  private readonly skewMs: number;

  constructor(private readonly options: TokenProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.skewMs = options.refreshSkewMs ?? 60_000;
  }

  async get(): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.refreshAt) return this.cached.value;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forget the token (the API answered 401), so the next call fetches a new one. */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async refresh(): Promise<string> {
    const issuedAt = this.clock.now();
    const issued = await this.options.fetchToken();
    const lifetimeMs = Math.max(0, issued.expiresInSeconds * 1000);
    const skew = Math.min(this.skewMs, lifetimeMs / 10);
    this.cached = { value: issued.accessToken, refreshAt: issuedAt + lifetimeMs - skew };
    return issued.accessToken;
  }
}
