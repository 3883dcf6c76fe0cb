// Starts the aggregator once Nest is up, reports readiness, and drains it on shutdown.
import { HealthRegistry } from '@crm/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

import { AggregatorService } from './aggregator.service';

@Injectable()
export class AggregatorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(AggregatorService) private readonly aggregator: AggregatorService,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('aggregator-consumer-and-state', () => this.aggregator.isReady());
    await this.aggregator.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.health.markShuttingDown();
    await this.aggregator.stop();
  }
}
