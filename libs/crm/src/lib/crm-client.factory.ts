// Assembles one CRM's client from settings: token manager, limiter, breaker, HTTP client, adapter.
import { type Dispatcher } from 'undici';
import { clientCredentialsFetcher } from './auth/token-endpoints';
import { type TokenRefreshOutcome, TokenManager } from './auth/token-manager';
import { type BreakerOptions, CrmCircuitBreaker } from './breaker/crm-circuit-breaker';
import { DynamicsAdapter } from './dynamics/dynamics.adapter';
import { type CrmProvider } from './errors/crm.error';
import { CrmHttpClient } from './http/crm-http.client';
import { type CrmObserver } from './http/crm.observer';
import { type ProviderMapping } from './mapping/field-mapping.schema';
import { type CrmAdapter } from './port/crm.port';
import { type RateLimiterOptions, TokenBucketRateLimiter } from './rate/rate-limiter';
import { SalesforceAdapter } from './salesforce/salesforce.adapter';

export interface CrmClientSettings {
  provider: CrmProvider;
  /** Salesforce instance URL or Dataverse organisation URL. */
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Salesforce only, e.g. `62.0`. */
  apiVersion?: string;
  /** Entra scope; defaults to `<baseUrl>/.default` for Dynamics. */
  scope?: string;
  timeoutMs?: number;
  rateLimit: Omit<RateLimiterOptions, 'now' | 'sleep'>;
  breaker?: Omit<BreakerOptions, 'provider'>;
  mapping: ProviderMapping;
  dispatcher?: Dispatcher;
  observer?: CrmObserver & { tokenRefresh?(provider: CrmProvider, outcome: TokenRefreshOutcome): void };
}

export interface CrmClient {
  adapter: CrmAdapter;
  breaker: CrmCircuitBreaker;
  limiter: TokenBucketRateLimiter;
  tokens: TokenManager;
}

export function createCrmClient(settings: CrmClientSettings): CrmClient {
  const { provider } = settings;
  const observer = settings.observer;
  const tokens = new TokenManager({
    provider,
    fetchToken: clientCredentialsFetcher(provider, {
      tokenUrl: settings.tokenUrl,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      ...(provider === 'dynamics'
        ? { scope: settings.scope ?? `${settings.baseUrl.replace(/\/+$/, '')}/.default` }
        : {}),
      ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
      ...(settings.dispatcher ? { dispatcher: settings.dispatcher } : {}),
    }),
    ...(observer?.tokenRefresh
      ? { onRefresh: (p: CrmProvider, outcome: TokenRefreshOutcome) => observer.tokenRefresh?.(p, outcome) }
      : {}),
  });
  const limiter = new TokenBucketRateLimiter(settings.rateLimit);
  const breaker = new CrmCircuitBreaker({ provider, ...settings.breaker });
  const http = new CrmHttpClient({
    provider,
    baseUrl: settings.baseUrl,
    tokens,
    limiter,
    breaker,
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(settings.dispatcher ? { dispatcher: settings.dispatcher } : {}),
    ...(observer ? { observer } : {}),
  });
  const lookup = { emailField: settings.mapping.lookup.email, phoneField: settings.mapping.lookup.phone };
  const adapter: CrmAdapter =
    provider === 'salesforce'
      ? new SalesforceAdapter(http, {
          apiVersion: settings.apiVersion ?? '62.0',
          contactObject: settings.mapping.object,
          ...lookup,
        })
      : new DynamicsAdapter(http, {
          url: settings.baseUrl,
          contactEntitySet: settings.mapping.object,
          ...lookup,
        });
  return { adapter, breaker, limiter, tokens };
}
