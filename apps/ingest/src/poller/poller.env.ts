// Environment fragments for the Genesys connection and the analytics poller. The app's
// config/env.schema.ts spreads these shapes into its z.object and adds `.superRefine(checkGenesysEnv)`.
import { booleanFlag, commaList, httpUrl, integer } from '@crm/config';
import { GENESYS_REGIONS } from '@crm/genesys';
import { z } from 'zod';

export const genesysConnectionEnvShape = {
  /** Region key such as eu_west_1 (login.mypurecloud.ie); explicit base URLs below win over it. */
  GENESYS_REGION: z.enum(GENESYS_REGIONS).optional(),
  GENESYS_API_BASE_URL: httpUrl().optional(),
  GENESYS_LOGIN_BASE_URL: httpUrl().optional(),
  GENESYS_CLIENT_ID: z.string().min(1).optional(),
  GENESYS_CLIENT_SECRET: z.string().min(1).optional(),
  GENESYS_HTTP_TIMEOUT_MS: integer(10_000, { min: 100 }),
  GENESYS_HTTP_MAX_RETRIES: integer(4, { min: 0, max: 10 }),
};

export const pollerEnvShape = {
  GENESYS_POLLER_ENABLED: booleanFlag(false),
  GENESYS_POLLER_GROUP_ID: z.string().min(1).default('ingest-analytics-poller'),
  GENESYS_POLL_INITIAL_DELAY_MS: integer(10_000),
  GENESYS_POLL_BASE_DELAY_MS: integer(10_000, { min: 1 }),
  GENESYS_POLL_MAX_DELAY_MS: integer(600_000, { min: 1 }),
  GENESYS_POLL_MAX_WAIT_MS: integer(7_200_000, { min: 1 }),
  GENESYS_POLL_TICK_MS: integer(1_000, { min: 10 }),
  GENESYS_POLL_CONCURRENCY: integer(8, { min: 1, max: 256 }),
  /** Media types whose end starts a poll; digital media get their text from message events. */
  GENESYS_POLL_MEDIA_TYPES: commaList()
    .pipe(z.array(z.enum(['VOICE', 'CHAT', 'MESSAGE', 'EMAIL', 'CALLBACK', 'UNKNOWN'])))
    .default(['VOICE', 'CALLBACK', 'UNKNOWN']),
  GENESYS_CONTACT_ID_ATTRIBUTES: commaList().default(['SF_ContactId']),
};

export type GenesysConnectionEnv = z.output<z.ZodObject<typeof genesysConnectionEnvShape>>;
type GenesysSwitches = { GENESYS_POLLER_ENABLED: boolean; GENESYS_NOTIFICATIONS_ENABLED?: boolean };
export type PollerEnv = GenesysConnectionEnv & z.output<z.ZodObject<typeof pollerEnvShape>>;

/** Cross-field rule: a Genesys consumer (poller or notifications) needs credentials and endpoints. */
export function checkGenesysEnv(env: GenesysConnectionEnv & GenesysSwitches, ctx: z.RefinementCtx): void {
  if (!env.GENESYS_POLLER_ENABLED && !env.GENESYS_NOTIFICATIONS_ENABLED) return;
  if (!env.GENESYS_CLIENT_ID || !env.GENESYS_CLIENT_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['GENESYS_CLIENT_ID'],
      message:
        'GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are required when the poller or notifications are enabled',
    });
  }
  if (!env.GENESYS_REGION && !(env.GENESYS_API_BASE_URL && env.GENESYS_LOGIN_BASE_URL)) {
    ctx.addIssue({
      code: 'custom',
      path: ['GENESYS_REGION'],
      message: 'set GENESYS_REGION, or both GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL',
    });
  }
}
