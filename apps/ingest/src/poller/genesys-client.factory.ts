// Builds the Genesys REST client from the validated environment (shared by poller and notifications).
import { genesysEndpoints, GenesysClient } from '@crm/genesys';
import { type Logger } from '@crm/observability';
import { type GenesysConnectionEnv } from './poller.env';

export function genesysClientFromEnv(env: GenesysConnectionEnv, logger: Logger): GenesysClient {
  if (!env.GENESYS_CLIENT_ID || !env.GENESYS_CLIENT_SECRET)
    throw new Error('GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are required');
  return new GenesysClient({
    endpoints: genesysEndpoints({
      region: env.GENESYS_REGION,
      apiBaseUrl: env.GENESYS_API_BASE_URL,
      loginBaseUrl: env.GENESYS_LOGIN_BASE_URL,
    }),
    clientId: env.GENESYS_CLIENT_ID,
    clientSecret: env.GENESYS_CLIENT_SECRET,
    timeoutMs: env.GENESYS_HTTP_TIMEOUT_MS,
    retry: { maxRetries: env.GENESYS_HTTP_MAX_RETRIES },
    logger,
  });
}
