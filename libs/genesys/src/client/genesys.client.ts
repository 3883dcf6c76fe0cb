// Genesys Cloud REST client: OAuth client credentials, bearer calls with bounded retries (429
// honouring Retry-After, 5xx and network failures with backoff), and the endpoints the poller and
// the Notifications subscriber use. Tokens are never logged; the transcript document URL is
// pre-signed and is fetched without the bearer token.
import { type Logger } from 'pino';
import { type Clock, systemClock } from './clock';
import {
  GenesysAuthError,
  GenesysError,
  GenesysNotFoundError,
  GenesysRateLimitedError,
  GenesysRequestError,
  GenesysServerError,
} from './genesys.error';
import {
  type AnalyticsConversation,
  type AnalyticsConversationQuery,
  type AnalyticsConversationQueryResponse,
  type ConversationMetrics,
  type ConversationSummaryListing,
  type GenesysChannel,
  type GenesysConversation,
  type TranscriptDocument,
} from './genesys-api.types';
import { type HttpRequest, type HttpResponse, type HttpTransport, undiciTransport } from './http-transport';
import { type GenesysEndpoints } from './regions';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
  rateLimitDelayMs,
  type RetryPolicy,
} from './retry-policy';
import { type IssuedToken, TokenProvider } from './token-provider';

export interface GenesysClientOptions {
  endpoints: GenesysEndpoints;
  clientId: string;
  clientSecret: string;
  transport?: HttpTransport;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  tokenRefreshSkewMs?: number;
}

type Method = HttpRequest['method'];

export class GenesysClient {
  private readonly transport: HttpTransport;
  private readonly ownTransport: (HttpTransport & { close(): Promise<void> }) | undefined;
  private readonly tokens: TokenProvider;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly options: GenesysClientOptions) {
    if (options.transport) {
      this.transport = options.transport;
    } else {
      this.ownTransport = undiciTransport({ timeoutMs: options.timeoutMs ?? 10_000 });
      this.transport = this.ownTransport;
    }
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.tokens = new TokenProvider({
      fetchToken: () => this.requestToken(),
      clock: this.clock,
      ...(options.tokenRefreshSkewMs !== undefined ? { refreshSkewMs: options.tokenRefreshSkewMs } : {}),
    });
  }

  async close(): Promise<void> {
    await this.ownTransport?.close();
  }

  /** A valid access token (cached); lets a service warm the cache at start-up. Never log it. */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  getConversation(conversationId: string): Promise<GenesysConversation> {
    return this.api('GET', `/api/v2/conversations/${enc(conversationId)}`);
  }

  getAnalyticsConversationDetails(conversationId: string): Promise<AnalyticsConversation> {
    return this.api('GET', `/api/v2/analytics/conversations/${enc(conversationId)}/details`);
  }

  /** Synchronous details query, used to backfill conversations missed while the socket was down. */
  queryConversationDetails(query: AnalyticsConversationQuery): Promise<AnalyticsConversationQueryResponse> {
    return this.api('POST', '/api/v2/analytics/conversations/details/query', query);
  }

  /** The pre-signed URL of a communication's transcript; GenesysNotFoundError while analytics are not done. */
  async getTranscriptUrl(conversationId: string, communicationId: string): Promise<string> {
    const path = `/api/v2/speechandtextanalytics/conversations/${enc(conversationId)}/communications/${enc(communicationId)}/transcripturl`;
    const body = await this.api<{ url?: string }>('GET', path);
    if (!body.url)
      throw new GenesysNotFoundError(
        `transcript URL for ${conversationId}/${communicationId} not available yet`,
      );
    return body.url;
  }

  /** Fetches the document behind a transcript URL, without the bearer token (the URL is pre-signed). */
  getTranscriptDocument(url: string): Promise<TranscriptDocument> {
    return this.call('GET', url, undefined, false);
  }

  getConversationMetrics(conversationId: string): Promise<ConversationMetrics> {
    return this.api('GET', `/api/v2/speechandtextanalytics/conversations/${enc(conversationId)}`);
  }

  getConversationSummaries(conversationId: string): Promise<ConversationSummaryListing> {
    return this.api('GET', `/api/v2/speechandtextanalytics/conversations/${enc(conversationId)}/summaries`);
  }

  createNotificationChannel(): Promise<GenesysChannel> {
    return this.api('POST', '/api/v2/notifications/channels');
  }

  /** Replaces the channel's subscriptions with `topics` (PUT), so a reconnect never accumulates. */
  async replaceSubscriptions(channelId: string, topics: readonly string[]): Promise<void> {
    await this.api(
      'PUT',
      `/api/v2/notifications/channels/${enc(channelId)}/subscriptions`,
      topics.map((id) => ({ id })),
    );
  }

  private api<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return this.call(method, `${this.options.endpoints.apiBaseUrl}${path}`, body, true);
  }

  private async call<T>(method: Method, url: string, body: unknown, withToken: boolean): Promise<T> {
    let reauthenticated = false;
    for (let retry = 0; ; retry++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      let token: string | undefined;
      if (withToken) {
        token = await this.tokens.get();
        headers['authorization'] = `Bearer ${token}`;
      }
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: HttpResponse | undefined;
      let failure: GenesysError;
      try {
        response = await this.transport({
          method,
          url,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        if (response.status >= 200 && response.status < 300) return parseJson<T>(response, url);
        if (response.status === 401 && token !== undefined && !reauthenticated) {
          // An expired or revoked token: fetch a new one once, then let 401 be an error.
          this.tokens.invalidate(token);
          reauthenticated = true;
          retry--;
          continue;
        }
        failure = errorFor(method, url, response, this.clock.now());
      } catch (error) {
        if (!(error instanceof GenesysError)) throw error;
        failure = error;
      }
      const delay = this.delayFor(failure, retry);
      if (delay === undefined) throw failure;
      this.options.logger?.debug(
        { method, path: new URL(url).pathname, reason: failure.reason, retry, delayMs: delay },
        'retrying Genesys call',
      );
      await this.clock.sleep(delay);
    }
  }

  private delayFor(failure: GenesysError, retry: number): number | undefined {
    if (!failure.retriable || retry >= this.policy.maxRetries) return undefined;
    if (failure instanceof GenesysRateLimitedError)
      return rateLimitDelayMs(retry, failure.retryAfterMs, this.policy, this.random);
    return backoffDelayMs(retry, this.policy, this.random);
  }

  private async requestToken(): Promise<IssuedToken> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`, 'utf8').toString(
      'base64',
    );
    const url = `${this.options.endpoints.loginBaseUrl}/oauth/token`;
    for (let retry = 0; ; retry++) {
      let failure: GenesysError;
      try {
        const response = await this.transport({
          method: 'POST',
          url,
          headers: {
            authorization: `Basic ${basic}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: 'grant_type=client_credentials',
        });
        if (response.status === 200) {
          const parsed = parseJson<{ access_token?: unknown; expires_in?: unknown }>(response, url);
          if (typeof parsed.access_token !== 'string' || typeof parsed.expires_in !== 'number') {
            throw new GenesysAuthError('token response lacks access_token or expires_in');
          }
          return { accessToken: parsed.access_token, expiresInSeconds: parsed.expires_in };
        }
        if (response.status === 400 || response.status === 401 || response.status === 403) {
          throw new GenesysAuthError(`token endpoint refused the client credentials (${response.status})`);
        }
        failure = errorFor('POST', url, response, this.clock.now());
      } catch (error) {
        if (!(error instanceof GenesysError)) throw error;
        failure = error;
      }
      const delay = this.delayFor(failure, retry);
      if (delay === undefined) throw failure;
      await this.clock.sleep(delay);
    }
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function parseJson<T>(response: HttpResponse, url: string): T {
  if (response.body === '') return {} as T;
  try {
    return JSON.parse(response.body) as T;
  } catch (error) {
    throw new GenesysRequestError(
      `${new URL(url).pathname} answered ${response.status} with a body that is not JSON: ${(error as Error).message}`,
      response.status,
    );
  }
}

function errorFor(method: Method, url: string, response: HttpResponse, now: number): GenesysError {
  const where = `${method} ${new URL(url).pathname}`;
  if (response.status === 429) {
    return new GenesysRateLimitedError(
      `${where} was rate limited`,
      parseRetryAfterMs(response.headers['retry-after'], now),
    );
  }
  if (response.status >= 500)
    return new GenesysServerError(`${where} answered ${response.status}`, response.status);
  if (response.status === 404) return new GenesysNotFoundError(`${where} answered 404`);
  return new GenesysRequestError(`${where} answered ${response.status}`, response.status);
}
