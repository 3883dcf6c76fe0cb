import { type DynamicModule, Module } from '@nestjs/common';
import { HealthRegistry, type Logger } from '@crm/observability';
import { HealthModule } from '@crm/observability/nest';
import { LoggerModule } from 'nestjs-pino';
import { type Registry } from 'prom-client';
import { type AppEnv } from './config/env.schema';
import { CrmSimulator } from './crm-simulator';

@Module({})
export class AppModule {
  static forRoot(
    _env: AppEnv,
    logger: Logger,
    metrics: Registry,
    health: HealthRegistry,
    simulator: CrmSimulator,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false } }),
        HealthModule.forRoot(health, metrics),
      ],
      providers: [{ provide: CrmSimulator, useValue: simulator }],
      exports: [CrmSimulator],
    };
  }
}
