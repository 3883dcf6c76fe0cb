// The slice of the environment the ingest use case and publisher read, as one injectable value.
import { type AppEnv } from '../config/env.schema';

export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');

export type IngestSettings = Pick<
  AppEnv,
  | 'INGEST_BEARER_TOKENS'
  | 'INGEST_HMAC_SECRET'
  | 'INGEST_HMAC_TOLERANCE_SECONDS'
  | 'INGEST_MAX_EVENTS_PER_REQUEST'
  | 'INGEST_CONTACT_ID_ATTRIBUTES'
  | 'INGEST_ACCEPT_GUIDE_FORMAT'
  | 'INGEST_TOPIC'
  | 'INGEST_SEND_TIMEOUT_MS'
  | 'INGEST_MAX_PENDING_RECORDS'
  | 'INGEST_MAX_BATCH_RECORDS'
  | 'INGEST_PRODUCE_CONCURRENCY'
  | 'INGEST_LINGER_MS'
  | 'INGEST_RETRY_AFTER_SECONDS'
  | 'INGEST_BROKER_PROBE_INTERVAL_MS'
>;
