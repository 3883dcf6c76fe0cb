// Every CRM call goes through here: breaker → rate limiter → bearer token → undici with timeouts →
// one token refresh and replay on 401 → Retry-After and Sforce-Limit-Info fed back to the limiter →
// non-2xx classified into the CrmError hierarchy. Adapters only build requests and read bodies.
import { type Dispatcher, request } from 'undici';
import { type TokenManager } from '../auth/token-manager';
import { isTimeout } from '../auth/token-endpoints';
import { type CrmCircuitBreaker } from '../breaker/crm-circuit-breaker';
import { classifyCrmError, parseRetryAfter } from '../errors/error-classifier';
import {
  CrmAuthError,
  CrmError,
  type CrmProvider,
  CrmTimeoutError,
  CrmUnavailableError,
} from '../errors/crm.error';
import { parseSforceLimitInfo, type TokenBucketRateLimiter } from '../rate/rate-limiter';
import { type CrmObserver } from './crm.observer';

export interface CrmRequest {
  /** Metric label: read, read_many, update, lookup, update_many, upsert, batch. */
  operation: string;
  method: 'GET' | 'PATCH' | 'POST';
  /** Path (and query) below the base URL. */
  path: string;
  headers?: Record<string, string>;
  /** JSON-serialised unless a string is given. */
  body?: unknown;
  /** Statuses returned to the adapter instead of being thrown (e.g. 300 on upsert). */
  acceptStatuses?: readonly number[];
}

export interface CrmResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rawBody: string;
  requestId: string | null;
}

export interface CrmHttpClientOptions {
  provider: CrmProvider;
  baseUrl: string;
  tokens: TokenManager;
  limiter: TokenBucketRateLimiter;
  breaker: CrmCircuitBreaker;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  observer?: CrmObserver;
  /** 401 messages a refresh cannot fix (jsforce's list): fail at once instead of refreshing. */
  unrecoverable401Messages?: readonly string[];
}

const DEFAULT_UNRECOVERABLE = [
  'This session is not valid for use with the REST API',
  'Connected app is not attached to Agent',
];

export class CrmHttpClient {
  readonly provider: CrmProvider;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly unrecoverable: readonly string[];

  constructor(private readonly options: CrmHttpClientOptions) {
    this.provider = options.provider;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.unrecoverable = options.unrecoverable401Messages ?? DEFAULT_UNRECOVERABLE;
  }

  async send(req: CrmRequest): Promise<CrmResponse> {
    try {
      return await this.options.breaker.exec(() => this.throttled(req));
    } catch (error) {
      // Credentials no refresh can fix: stop all traffic (the app pauses and alerts) instead of looping.
      if (error instanceof CrmAuthError) this.options.breaker.forceOpen();
      throw error;
    }
  }

  private async throttled(req: CrmRequest): Promise<CrmResponse> {
    await this.options.limiter.acquire();
    try {
      return await this.authenticated(req);
    } finally {
      this.options.limiter.release();
    }
  }

  private async authenticated(req: CrmRequest): Promise<CrmResponse> {
    const token = await this.options.tokens.getToken();
    const first = await this.exchange(req, token);
    if (first.status !== 401) return this.settle(req, first);
    if (this.isUnrecoverable401(first)) throw this.authError(req, first, 'a refresh cannot fix this session');
    const fresh = await this.options.tokens.refreshAfterRejection(token);
    const second = await this.exchange(req, fresh);
    if (second.status === 401) throw this.authError(req, second, 'still unauthorised after a token refresh');
    return this.settle(req, second);
  }

  private settle(req: CrmRequest, response: CrmResponse): CrmResponse {
    const ok =
      (response.status >= 200 && response.status < 300) ||
      (req.acceptStatuses ?? []).includes(response.status);
    if (ok) return response;
    const retryAfterMs = parseRetryAfter(headerOf(response, 'retry-after'));
    if (retryAfterMs !== null && (response.status === 429 || response.status === 503))
      this.options.limiter.pauseFor(retryAfterMs);
    const error = classifyCrmError({
      provider: this.provider,
      operation: req.operation,
      status: response.status,
      body: response.body,
      retryAfterMs,
    });
    if (error.reason === 'CRM_RATE_LIMITED') this.options.observer?.rateLimited(this.provider);
    throw error;
  }

  private async exchange(req: CrmRequest, token: string): Promise<CrmResponse> {
    const started = performance.now();
    let status = 'error';
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...req.headers,
      };
      let body: string | undefined;
      if (req.body !== undefined) {
        body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await request(`${this.baseUrl}${req.path}`, {
        method: req.method,
        headers,
        ...(body === undefined ? {} : { body }),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      const rawBody = await response.body.text();
      status = String(response.statusCode);
      const result: CrmResponse = {
        status: response.statusCode,
        headers: response.headers,
        body: parseBody(rawBody),
        rawBody,
        requestId: requestIdOf(response.headers),
      };
      const usage = parseSforceLimitInfo(headerOf(result, 'sforce-limit-info'));
      if (usage) this.options.limiter.observeUsage(usage.used, usage.max);
      return result;
    } catch (error) {
      if (error instanceof CrmError) throw error;
      if (isTimeout(error)) {
        status = 'timeout';
        throw new CrmTimeoutError(`${this.provider} ${req.operation} timed out after ${this.timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new CrmUnavailableError(`${this.provider} ${req.operation} failed: ${errorCode(error)}`, {
        cause: error,
      });
    } finally {
      this.options.observer?.request(
        this.provider,
        req.operation,
        status,
        (performance.now() - started) / 1000,
      );
    }
  }

  private isUnrecoverable401(response: CrmResponse): boolean {
    return this.unrecoverable.some((text) => response.rawBody.includes(text));
  }

  private authError(req: CrmRequest, response: CrmResponse, why: string): CrmAuthError {
    return new CrmAuthError(`${this.provider} ${req.operation} unauthorised: ${why}`, {
      status: response.status,
    });
  }
}

function parseBody(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function headerOf(response: Pick<CrmResponse, 'headers'>, name: string): string | null {
  const value = response.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | null {
  for (const name of ['x-request-id', 'sforce-request-id', 'x-ms-service-request-id', 'req_id']) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) return first;
  }
  return null;
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return error instanceof Error ? error.name : 'unknown error';
}
