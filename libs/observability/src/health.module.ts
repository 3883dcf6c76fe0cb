// GET /health/live, /health/ready and /metrics for every Nest app (DESIGN.md §8).
import { Controller, Get, type DynamicModule, Header, Inject, Module, Res } from '@nestjs/common';
import { type Registry } from 'prom-client';
import { HealthRegistry } from './health';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

interface ReplyLike {
  status(code: number): ReplyLike;
  send(body: unknown): unknown;
}

@Controller()
export class HealthController {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() reply: ReplyLike): Promise<void> {
    const report = await this.health.readiness();
    reply
      .status(report.ready ? 200 : 503)
      .send({ status: report.ready ? 'ok' : 'unavailable', checks: report.checks });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}

@Module({})
export class HealthModule {
  static forRoot(health: HealthRegistry, metrics: Registry): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: HealthRegistry, useValue: health },
        { provide: METRICS_REGISTRY, useValue: metrics },
      ],
      exports: [HealthRegistry, METRICS_REGISTRY],
    };
  }
}
