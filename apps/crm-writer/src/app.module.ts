import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry, type Logger } from '@crm/observability';
import { HealthModule } from '@crm/observability/nest';
import { LoggerModule } from 'nestjs-pino';
import { type Registry } from 'prom-client';
import { WriterPipeline } from './writer.pipeline';

/** Starts the pipeline with the app and drains it on shutdown; ready once both consumers joined. */
@Injectable()
export class WriterLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(WriterPipeline) private readonly pipeline: WriterPipeline,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    this.health.register('crm-writer-consumers', () => this.pipeline.isReady());
    await this.pipeline.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }
}

@Module({})
export class AppModule {
  static forRoot(
    logger: Logger,
    metrics: Registry,
    health: HealthRegistry,
    pipeline: WriterPipeline,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No pino-http middleware: its AsyncLocalStorage, entered by the first health probe, turns
        // on promise hooks for the whole process, which then tax every promise the Kafka loop makes.
        // (CrmCallCounter still enters one of its own, per update; see test/bench/pipeline/README.md.)
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] }),
        HealthModule.forRoot(health, metrics),
      ],
      providers: [
        { provide: WriterPipeline, useValue: pipeline },
        { provide: HealthRegistry, useValue: health },
        WriterLifecycle,
      ],
    };
  }
}
