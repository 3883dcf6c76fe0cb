// Builds the kafkajs client from validated settings, with kafkajs' own logs routed to pino and
// TCP_NODELAY on its sockets (socket-factory.ts).
import { readFileSync } from 'node:fs';
import { type KafkaEnv } from '@crm/config';
import { type Logger } from '@crm/observability';
import { Kafka, type KafkaConfig, logLevel, type logCreator, type SASLOptions } from 'kafkajs';

import { noDelaySocketFactory } from './socket-factory';

export function kafkaConfigFrom(env: KafkaEnv, clientId: string): KafkaConfig {
  const config: KafkaConfig = {
    clientId: env.KAFKA_CLIENT_ID ?? clientId,
    brokers: env.KAFKA_BROKERS,
    connectionTimeout: env.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeout: env.KAFKA_REQUEST_TIMEOUT_MS,
  };
  if (env.KAFKA_SSL) {
    config.ssl = {
      rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED,
      ...(env.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')] } : {}),
    };
  }
  if (env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD) {
    config.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM,
      username: env.KAFKA_SASL_USERNAME,
      password: env.KAFKA_SASL_PASSWORD,
    } as SASLOptions;
  }
  return config;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs' own log lines through pino. `toDebug` lists texts known to be false alarms for the
 * caller: a line whose message or error contains one is logged at debug instead of its own level.
 */
export function pinoLogCreator(logger: Logger, toDebug: readonly string[] = []): logCreator {
  const quiet = (text: unknown): boolean =>
    typeof text === 'string' && toDebug.some((alarm) => text.includes(alarm));
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const at = quiet(message) || quiet(extra.error) ? 'debug' : (LEVELS[level] ?? 'info');
      logger[at]({ kafkajs: extra }, message);
    };
}

/**
 * kafkajs warns this for every idempotent producer whose retries are bounded. A transactional
 * producer's failed send aborts its transaction, so bounded retries cost no guarantee there.
 */
export const BOUNDED_RETRIES_WARNING =
  'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * CONCURRENT_TRANSACTIONS: the coordinator answers a transactional producer's next
 * AddPartitionsToTxn so until the markers of its previous transaction are written. kafkajs retries
 * it, and logs every answer and retry at error level. A send that still fails reaches the caller.
 */
export const CONCURRENT_TRANSACTIONS_ERROR =
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';

/**
 * GROUP_COORDINATOR_NOT_AVAILABLE: a fresh broker answers FindCoordinator so while it creates its
 * internal offsets and transaction-state topics, for the first seconds of a new cluster. kafkajs
 * retries the lookup and logs every answer at error level; a lookup that still fails reaches the
 * caller (a consumer crash, logged by the service).
 */
export const COORDINATOR_NOT_AVAILABLE_ERROR = 'The group coordinator is not available';

export interface CreateKafkaOptions {
  /** Texts of kafkajs log lines (message or error) to log at debug: false alarms for this client. */
  readonly toDebug?: readonly string[];
}

export function createKafka(config: KafkaConfig, logger: Logger, options: CreateKafkaOptions = {}): Kafka {
  return new Kafka({
    socketFactory: noDelaySocketFactory,
    ...config,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' }), options.toDebug),
  });
}
