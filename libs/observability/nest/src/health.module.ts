// GET /health/live, /health/ready and /metrics for every Nest app (DESIGN.md §8); the answers are
// @crm/observability's health-endpoints.ts, shared with its framework-free health server.
import { Controller, Get, type DynamicModule, Header, Inject, Module, Res } from '@nestjs/common';
import { type Registry } from 'prom-client';
import { HealthRegistry, liveness, METRICS_CONTENT_TYPE, readiness, scrape } from '@crm/observability';

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
  live(): { status: 'ok' | 'unavailable' } {
    return liveness().body;
  }

  @Get('health/ready')
  async ready(@Res() reply: ReplyLike): Promise<void> {
    const answer = await readiness(this.health);
    reply.status(answer.status).send(answer.body);
  }

  @Get('metrics')
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  async scrape(): Promise<string> {
    return scrape(this.metrics);
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
