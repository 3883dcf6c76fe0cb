// POST /{tenant}/oauth2/v2.0/token, Microsoft Entra client credentials: expires_in is sent, no
// refresh token, errors carry AADSTS codes.
import { randomUUID } from 'node:crypto';
import { parseForm } from '../auth/form';
import { jsonResponse, type SimRequest, type SimResponse } from '../http/sim-http';
import { type SimContext } from '../simulator-context';

function entraError(
  ctx: SimContext,
  status: number,
  error: string,
  code: number,
  description: string,
): SimResponse {
  return jsonResponse(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date(ctx.now()).toISOString()}`,
      error_codes: [code],
      timestamp: new Date(ctx.now())
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z'),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
    'application/json; charset=utf-8',
  );
}

export function handleDynamicsToken(ctx: SimContext, req: SimRequest): SimResponse {
  const form = parseForm(req.body);
  const injected = ctx.faults.tokenError('dynamics');
  if (injected !== undefined) {
    switch (injected.error) {
      case 'invalid_grant':
        return entraError(
          ctx,
          400,
          'invalid_grant',
          50173,
          'The provided grant has expired due to it being revoked.',
        );
      case 'invalid_client':
        return entraError(ctx, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      case 'server_error':
        return entraError(
          ctx,
          503,
          'temporarily_unavailable',
          90033,
          'A transient error has occurred. Please try again.',
        );
    }
  }
  if (form['grant_type'] !== 'client_credentials')
    return entraError(
      ctx,
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  const { clientId, clientSecret } = ctx.settings.dynamics;
  if (form['client_id'] !== clientId)
    return entraError(
      ctx,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${form['client_id'] ?? ''}' was not found in the directory.`,
    );
  if (form['client_secret'] !== clientSecret)
    return entraError(ctx, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  if (!(form['scope'] ?? '').endsWith('/.default'))
    return entraError(
      ctx,
      400,
      'invalid_scope',
      70011,
      "The provided value for the input parameter 'scope' is not valid.",
    );
  const ttl = ctx.faults.tokenTtlSeconds('dynamics');
  const expiresIn = Math.floor(ttl);
  return jsonResponse(
    200,
    {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: ctx.tokens.issue('dynamics', ttl),
    },
    'application/json; charset=utf-8',
  );
}
