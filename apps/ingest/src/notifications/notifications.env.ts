// Environment fragment for the Notifications API subscriber (WebSocket). Spread into the app's
// env schema together with genesysConnectionEnvShape from ../poller/poller.env.
import { booleanFlag, commaList, integer } from '@crm/config';
import { z } from 'zod';

export const notificationsEnvShape = {
  GENESYS_NOTIFICATIONS_ENABLED: booleanFlag(false),
  /** Topics to subscribe, e.g. v2.users.{userId}.conversations.summaries (WebSocket topics need concrete ids). */
  GENESYS_NOTIFICATION_TOPICS: commaList()
    .pipe(z.array(z.string().min(1)).max(1000, 'at most 1000 topics per channel'))
    .default([]),
  /** Single-partition topic whose partition-0 owner holds the WebSocket (created if missing). */
  GENESYS_NOTIFICATIONS_LEASE_TOPIC: z.string().min(1).default('genesys.internal.notifications-lease.v1'),
  GENESYS_NOTIFICATIONS_LEASE_GROUP_ID: z.string().min(1).default('ingest-notifications-lease'),
  GENESYS_NOTIFICATIONS_LEASE_SESSION_TIMEOUT_MS: integer(10_000, { min: 6_000, max: 300_000 }),
  GENESYS_NOTIFICATIONS_RENEW_BEFORE_MS: integer(3_600_000, { min: 1_000 }),
  GENESYS_NOTIFICATIONS_IDLE_TIMEOUT_MS: integer(120_000, { min: 1_000 }),
  GENESYS_NOTIFICATIONS_RECONNECT_MAX_DELAY_MS: integer(30_000, { min: 100 }),
  /** After a socket gap, ask the analytics details query for conversations that ended meanwhile. */
  GENESYS_NOTIFICATIONS_BACKFILL: booleanFlag(true),
};

export type NotificationsEnv = z.output<z.ZodObject<typeof notificationsEnvShape>>;
