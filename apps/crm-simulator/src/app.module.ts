import { type DynamicModule, Module } from '@nestjs/common';
import { HealthModule, HealthRegistry, type Logger } from '@crm/observability';
import { LoggerModule } from 'nestjs-pino';
import { type Registry } from 'prom-client';
import { type AppEnv } from './config/env.schema';

@Module({})
export class AppModule {
  static forRoot(_env: AppEnv, logger: Logger, metrics: Registry, health: HealthRegistry): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false } }), HealthModule.forRoot(health, metrics)],
    };
  }
}
