// POST /services/oauth2/token: client credentials, JWT bearer and refresh token grants. The
// response carries no expires_in (Salesforce never sends one); errors are 400 {error, error_description}.
import { createHmac } from 'node:crypto';
import { jwtPayload, parseForm } from '../auth/form';
import { jsonResponse, type SimRequest, type SimResponse } from '../http/sim-http';
import { type SimContext } from '../simulator-context';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

function tokenError(status: number, error: string, description: string): SimResponse {
  return jsonResponse(status, { error, error_description: description });
}

export function handleSalesforceToken(ctx: SimContext, req: SimRequest, baseUrl: string): SimResponse {
  const form = parseForm(req.body);
  const injected = ctx.faults.tokenError('salesforce');
  if (injected !== undefined) {
    switch (injected.error) {
      case 'invalid_grant':
        return tokenError(400, 'invalid_grant', 'authentication failure');
      case 'invalid_client':
        return tokenError(400, 'invalid_client', 'invalid client credentials');
      case 'server_error':
        return tokenError(503, 'server_error', 'temporarily unavailable');
    }
  }
  const { clientId, clientSecret, refreshToken } = ctx.settings.salesforce;
  switch (form['grant_type']) {
    case 'client_credentials':
      if (form['client_id'] !== clientId)
        return tokenError(400, 'invalid_client_id', 'client identifier invalid');
      if (form['client_secret'] !== clientSecret)
        return tokenError(400, 'invalid_client', 'invalid client credentials');
      break;
    case JWT_BEARER: {
      const claims = jwtPayload(form['assertion'] ?? '');
      if (claims === undefined) return tokenError(400, 'invalid_grant', 'invalid assertion');
      if (claims['iss'] !== clientId)
        return tokenError(400, 'invalid_client_id', 'client identifier invalid');
      const audience = typeof claims['aud'] === 'string' ? claims['aud'].replace(/\/$/, '') : '';
      if (![...AUDIENCES, baseUrl].includes(audience))
        return tokenError(400, 'invalid_grant', 'Audience validation failed');
      if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= ctx.now())
        return tokenError(400, 'invalid_grant', 'expired authorization code');
      break;
    }
    case 'refresh_token':
      if (form['client_id'] !== clientId)
        return tokenError(400, 'invalid_client_id', 'client identifier invalid');
      if (form['refresh_token'] !== refreshToken)
        return tokenError(400, 'invalid_grant', 'expired access/refresh token');
      break;
    default:
      return tokenError(400, 'unsupported_grant_type', 'grant type not supported');
  }
  const accessToken = ctx.tokens.issue('salesforce', ctx.faults.tokenTtlSeconds('salesforce'));
  const issuedAt = String(ctx.now());
  const id = `${baseUrl}/id/00D000000000001AAA/005000000000001AAA`;
  return jsonResponse(200, {
    access_token: accessToken,
    instance_url: baseUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    // Salesforce signs id + issued_at with the client secret (HMAC-SHA256, base64).
    signature: createHmac('sha256', clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
  });
}
