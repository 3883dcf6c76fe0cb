// One OAuth access token per CRM, shared by every request of the process. The token is cached;
// where the expiry is known (Dataverse expires_in) it is refreshed shortly before; a 401 triggers a
// single refresh that all concurrent callers await (single flight), and a caller whose token was
// already replaced just takes the new one. Credential errors surface as CrmAuthError, never a loop.
import { type CrmProvider } from '../errors/crm.error';

export interface AccessToken {
  value: string;
  /** Epoch ms after which the token is no longer valid; null when the CRM does not say (Salesforce). */
  expiresAt: number | null;
}

export type TokenFetcher = () => Promise<AccessToken>;

export type TokenRefreshOutcome = 'success' | 'failure';

export interface TokenManagerOptions {
  provider: CrmProvider;
  fetchToken: TokenFetcher;
  now?: () => number;
  /** Refresh this long before a known expiry. */
  refreshMarginMs?: number;
  onRefresh?: (provider: CrmProvider, outcome: TokenRefreshOutcome) => void;
}

export class TokenManager {
  private current: AccessToken | null = null;
  private inFlight: Promise<AccessToken> | null = null;
  private readonly now: () => number;
  private readonly marginMs: number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? 60_000;
  }

  /** A valid token: the cached one, or a fresh one when none is cached or it is about to expire. */
  async getToken(): Promise<string> {
    const token = this.current;
    if (token !== null && !this.expiresSoon(token)) return token.value;
    return (await this.refresh()).value;
  }

  /**
   * Called after a 401 with the token that was rejected. If another caller already replaced it, the
   * new token is returned without a second refresh; otherwise one refresh runs for everyone.
   */
  async refreshAfterRejection(rejected: string): Promise<string> {
    if (this.inFlight === null && this.current !== null && this.current.value !== rejected)
      return this.current.value;
    if (this.current?.value === rejected) this.current = null;
    return (await this.refresh()).value;
  }

  /** Forget the cached token (e.g. after credentials were rotated). */
  invalidate(): void {
    this.current = null;
  }

  private expiresSoon(token: AccessToken): boolean {
    return token.expiresAt !== null && token.expiresAt - this.marginMs <= this.now();
  }

  private refresh(): Promise<AccessToken> {
    if (this.inFlight !== null) return this.inFlight;
    const flight = (async () => {
      try {
        const token = await this.options.fetchToken();
        this.current = token;
        this.options.onRefresh?.(this.options.provider, 'success');
        return token;
      } catch (error) {
        this.options.onRefresh?.(this.options.provider, 'failure');
        throw error;
      } finally {
        this.inFlight = null;
      }
    })();
    this.inFlight = flight;
    return flight;
  }
}
