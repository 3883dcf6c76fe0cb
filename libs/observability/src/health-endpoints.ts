// What GET /health/live, /health/ready and /metrics answer (DESIGN.md §8), shared by the Nest
// controller (health.module.ts) and the framework-free server (health-server.ts), so every service
// answers its probes and scrapes the same way whichever shell it runs in.
import { type Registry } from 'prom-client';
import { type HealthRegistry } from './health';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface HealthAnswer {
  readonly status: number;
  readonly body: { status: 'ok' | 'unavailable'; checks?: Record<string, boolean> };
}

export function liveness(): HealthAnswer {
  return { status: 200, body: { status: 'ok' } };
}

/** 200 when every readiness check passes, 503 (with each check's result) otherwise. */
export async function readiness(health: HealthRegistry): Promise<HealthAnswer> {
  const report = await health.readiness();
  return {
    status: report.ready ? 200 : 503,
    body: { status: report.ready ? 'ok' : 'unavailable', checks: report.checks },
  };
}

/** The Prometheus text exposition of the registry. */
export function scrape(metrics: Registry): Promise<string> {
  return metrics.metrics();
}
