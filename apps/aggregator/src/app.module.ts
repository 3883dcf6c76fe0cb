import { type DynamicModule, Module } from '@nestjs/common';
import { topicSpec, Topics } from '@crm/contracts';
import {
  AvroSerde,
  BOUNDED_RETRIES_WARNING,
  CONCURRENT_TRANSACTIONS_ERROR,
  COORDINATOR_NOT_AVAILABLE_ERROR,
  createKafka,
  kafkaConfigFrom,
  type TopicDeclaration,
} from '@crm/kafka-core';
import { KafkaModule } from '@crm/kafka-nest';
import { HealthRegistry, type Logger } from '@crm/observability';
import { HealthModule } from '@crm/observability/nest';
import { LoggerModule } from 'nestjs-pino';
import { type Registry } from 'prom-client';

import { AggregatorLifecycle } from './aggregator/aggregator.lifecycle';
import { AggregatorService } from './aggregator/aggregator.service';
import { type AppEnv } from './config/env.schema';

/** The topics this service declares, named as configured but shaped by their contract spec. */
function declarations(env: AppEnv): TopicDeclaration[] {
  const declare = (name: string, spec: ReturnType<typeof topicSpec>): TopicDeclaration => ({
    name,
    cleanupPolicy: spec.cleanupPolicy,
    retentionMs: spec.retentionMs,
  });
  return [
    declare(env.AGGREGATOR_INPUT_TOPIC, topicSpec(Topics.entityExtracted)),
    declare(env.AGGREGATOR_OUTPUT_TOPIC, topicSpec(Topics.contactUpdateRequested)),
    declare(env.AGGREGATOR_STATE_TOPIC, topicSpec(Topics.aggregatorState)),
  ];
}

@Module({})
export class AppModule {
  static forRoot(env: AppEnv, logger: Logger, metrics: Registry, health: HealthRegistry): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No pino-http middleware: its AsyncLocalStorage, entered by the first health probe, turns
        // on promise hooks for the whole process, which then tax every promise the Kafka loop makes.
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] }),
        HealthModule.forRoot(health, metrics),
        KafkaModule.forRoot({
          service: 'aggregator',
          env,
          logger,
          ...(env.AGGREGATOR_PROVISION_TOPICS ? { provision: declarations(env) } : {}),
        }),
      ],
      providers: [
        {
          provide: AggregatorService,
          inject: [AvroSerde],
          useFactory: (serde: AvroSerde) =>
            new AggregatorService({
              // A client of its own with a short first retry: right after a commit the coordinator
              // answers the next transaction's AddPartitionsToTxn with CONCURRENT_TRANSACTIONS until
              // its markers are written; kafkajs' default 300 ms backoff would stall every partition.
              // Bounded retries: a send that still fails aborts the transaction, and the partition
              // is restored, so kafkajs' warning about them is a false alarm here; so are its
              // error lines for each CONCURRENT_TRANSACTIONS answer it retries, and for each
              // GROUP_COORDINATOR_NOT_AVAILABLE answer of a fresh broker.
              kafka: createKafka(
                { ...kafkaConfigFrom(env, 'aggregator'), retry: { initialRetryTime: 25, retries: 10 } },
                logger,
                {
                  toDebug: [
                    BOUNDED_RETRIES_WARNING,
                    CONCURRENT_TRANSACTIONS_ERROR,
                    COORDINATOR_NOT_AVAILABLE_ERROR,
                  ],
                },
              ),
              serde,
              topics: {
                input: env.AGGREGATOR_INPUT_TOPIC,
                output: env.AGGREGATOR_OUTPUT_TOPIC,
                state: env.AGGREGATOR_STATE_TOPIC,
              },
              groupId: env.AGGREGATOR_GROUP_ID,
              eos: env.AGGREGATOR_EOS,
              transactionalIdPrefix: env.AGGREGATOR_TRANSACTIONAL_ID_PREFIX,
              transactionTimeoutMs: env.AGGREGATOR_TRANSACTION_TIMEOUT_MS,
              tickMs: env.AGGREGATOR_TICK_MS,
              commitIntervalMs: env.AGGREGATOR_COMMIT_INTERVAL_MS,
              commitMaxRecords: env.AGGREGATOR_COMMIT_MAX_RECORDS,
              partitionConcurrency: env.AGGREGATOR_PARTITION_CONCURRENCY,
              maxConversations: env.AGGREGATOR_MAX_CONVERSATIONS,
              maxBytesPerPartition: env.AGGREGATOR_MAX_BYTES_PER_PARTITION,
              maxBytes: env.AGGREGATOR_MAX_BYTES,
              sessionTimeoutMs: env.AGGREGATOR_SESSION_TIMEOUT_MS,
              policy: env.policy,
              logger,
              metrics,
            }),
        },
        AggregatorLifecycle,
      ],
    };
  }
}
