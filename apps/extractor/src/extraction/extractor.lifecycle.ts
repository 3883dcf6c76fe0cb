// Starts the extractor's consumer once every module is initialised (the producer is connected by
// then), registers its readiness, and on shutdown reports not-ready, then drains the batch in
// flight and leaves the group before the producer disconnects.
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HealthRegistry, type Logger } from '@crm/observability';
import { ExtractorConsumer } from './extractor.consumer';

export const EXTRACTOR_LOGGER = Symbol('EXTRACTOR_LOGGER');

@Injectable()
export class ExtractorLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(ExtractorConsumer) private readonly consumer: ExtractorConsumer,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(EXTRACTOR_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('extractor-consumer', () => this.consumer.isReady());
    await this.consumer.start();
    this.logger.info('extractor consumer started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.health.markShuttingDown();
    await this.consumer.stop();
  }
}
