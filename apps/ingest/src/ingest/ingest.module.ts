// The HTTP ingest path: controller, use case, publisher and its metrics. Needs KafkaModule (global)
// and HealthModule (global) imported beside it.
import { type DynamicModule, Module } from '@nestjs/common';
import { GenesysEventsController } from '../http/genesys-events.controller';
import { BrokerReachability } from '../publish/broker-reachability';
import { ConversationEventPublisher } from '../publish/conversation-event.publisher';
import { IngestEventsUseCase } from './ingest-events.usecase';
import { IngestMetrics } from './ingest.metrics';
import { INGEST_SETTINGS, type IngestSettings } from './ingest-settings';

@Module({})
export class IngestModule {
  static forRoot(settings: IngestSettings): DynamicModule {
    return {
      module: IngestModule,
      // Global so the Notifications subscriber's handler can publish through the same publisher.
      global: true,
      providers: [
        // Mounted on Fastify directly by configureIngestHttp, not as a Nest controller.
        GenesysEventsController,
        { provide: INGEST_SETTINGS, useValue: settings },
        IngestMetrics,
        BrokerReachability,
        ConversationEventPublisher,
        IngestEventsUseCase,
      ],
      exports: [ConversationEventPublisher, IngestMetrics, INGEST_SETTINGS],
    };
  }
}
