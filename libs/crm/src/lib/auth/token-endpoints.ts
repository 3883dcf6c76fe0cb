// Client-credentials token requests for both CRMs. Salesforce answers without expires_in (the
// session timeout is org policy, so we rely on 401); Entra ID answers with expires_in seconds.
// Error bodies are `{error, error_description}`: invalid_grant / invalid_client (and Salesforce's
// invalid_client_id) mean the credentials are wrong or rotated, which no retry can fix.
import { type Dispatcher, request } from 'undici';
import { CrmAuthError, type CrmProvider, CrmTimeoutError, CrmUnavailableError } from '../errors/crm.error';
import { type AccessToken, type TokenFetcher } from './token-manager';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Entra ID: `https://<org>.crm.dynamics.com/.default`. Salesforce takes none. */
  scope?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

const CREDENTIAL_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'unauthorized_client',
  'invalid_scope',
]);

export function clientCredentialsFetcher(provider: CrmProvider, settings: ClientCredentials): TokenFetcher {
  const now = settings.now ?? Date.now;
  return async (): Promise<AccessToken> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      ...(settings.scope ? { scope: settings.scope } : {}),
    });
    const timeoutMs = settings.timeoutMs ?? 10_000;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(settings.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        ...(settings.dispatcher ? { dispatcher: settings.dispatcher } : {}),
      });
    } catch (error) {
      if (isTimeout(error))
        throw new CrmTimeoutError(`${provider} token endpoint timed out`, { cause: error });
      throw new CrmUnavailableError(`${provider} token endpoint unreachable`, { cause: error });
    }
    const text = await response.body.text();
    const body = parseJson(text);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      const value = body?.['access_token'];
      if (typeof value !== 'string' || value === '')
        throw new CrmAuthError(`${provider} token response has no access_token`);
      const expiresIn = Number(body?.['expires_in']);
      return {
        value,
        expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now() + expiresIn * 1000 : null,
      };
    }
    const code = typeof body?.['error'] === 'string' ? body['error'] : null;
    const details = { status: response.statusCode, crmCode: code };
    if (response.statusCode >= 500 || response.statusCode === 429) {
      throw new CrmUnavailableError(`${provider} token endpoint failed: ${response.statusCode}`, details);
    }
    if (code !== null && CREDENTIAL_ERRORS.has(code)) {
      throw new CrmAuthError(`${provider} token request rejected: ${code}`, details);
    }
    throw new CrmAuthError(
      `${provider} token request rejected: ${response.statusCode} ${code ?? ''}`.trim(),
      details,
    );
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function isTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}
