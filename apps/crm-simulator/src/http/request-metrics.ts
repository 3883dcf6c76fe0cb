// crm_simulator_requests_total{provider,operation,status}: what the simulator answered, so a demo
// dashboard shows the writer's traffic from the CRM's side.
import { Counter, type Registry } from 'prom-client';
import { type RequestObserver } from '../crm-simulator';

export function requestCounter(registry: Registry): RequestObserver {
  const counter = new Counter({
    name: 'crm_simulator_requests_total',
    help: 'CRM requests answered by the simulator, by provider, operation and HTTP status',
    labelNames: ['provider', 'operation', 'status'] as const,
    registers: [registry],
  });
  return (provider, operation, status) => counter.inc({ provider, operation, status: String(status) });
}
