// One simulator instance: store, faults, tokens and request log, and the entry point that
// dispatches a CRM request to the right provider with latency, logging and metrics around it.
import { TokenRegistry } from './auth/token-registry';
import { ContactStore } from './domain/contact-store';
import { type SeedSet } from './domain/seed';
import { handleDynamicsData } from './dynamics/dynamics.handler';
import { handleDynamicsToken } from './dynamics/dynamics-token.handler';
import { type FaultConfigInput } from './faults/fault-config';
import { FaultEngine } from './faults/fault-engine';
import { operationOf, summarise } from './http/operation';
import { RequestLog } from './http/request-log';
import { jsonResponse, type Provider, type SimRequest, type SimResponse } from './http/sim-http';
import { handleSalesforceData } from './salesforce/salesforce.handler';
import { handleSalesforceToken } from './salesforce/salesforce-token.handler';
import { type SimContext, type SimulatorSettings } from './simulator-context';

export interface RequestObserver {
  (provider: Provider, operation: string, status: number): void;
}

const SF_TOKEN_PATH = '/services/oauth2/token';
const DV_TOKEN_PATH = /^\/[^/]+\/oauth2\/v2\.0\/token$/;

export class CrmSimulator {
  readonly ctx: SimContext;
  readonly log = new RequestLog();

  constructor(
    settings: SimulatorSettings,
    private readonly initialFaults: FaultConfigInput = {},
    private readonly observe: RequestObserver = () => undefined,
    now: () => number = Date.now,
  ) {
    this.ctx = {
      store: new ContactStore(now),
      faults: new FaultEngine(now),
      tokens: new TokenRegistry(now),
      settings,
      now,
    };
    this.reset();
  }

  /** Back to the configured seed and faults; issued tokens stay valid and the log is cleared. */
  reset(): void {
    this.ctx.store.clear();
    this.seed(this.ctx.settings.seed);
    this.ctx.faults.set(this.initialFaults);
    this.ctx.faults.resetUsage();
    this.log.clear();
  }

  seed(seed: SeedSet): void {
    this.ctx.store.seed('salesforce', seed.salesforce);
    this.ctx.store.seed('dynamics', seed.dynamics);
  }

  /** The provider that serves a path, or undefined when the path is no CRM endpoint. */
  static providerOf(path: string): Provider | undefined {
    if (path === SF_TOKEN_PATH || path.startsWith('/services/data/')) return 'salesforce';
    if (DV_TOKEN_PATH.test(path) || path.startsWith('/api/data/')) return 'dynamics';
    return undefined;
  }

  async handle(provider: Provider, req: SimRequest, baseUrl: string): Promise<SimResponse> {
    const started = this.ctx.now();
    const latency = this.ctx.faults.latencyMs();
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const response = this.dispatch(provider, req, baseUrl);
    const operation = operationOf(provider, req.method, req.path);
    const search = req.query.toString();
    this.log.add({
      at: new Date(started).toISOString(),
      provider,
      operation,
      method: req.method,
      url: search === '' ? req.path : `${req.path}?${search}`,
      status: response.status,
      durationMs: this.ctx.now() - started,
      summary: summarise(operation, req.body, req.query),
    });
    this.observe(provider, operation, response.status);
    return response;
  }

  private dispatch(provider: Provider, req: SimRequest, baseUrl: string): SimResponse {
    try {
      if (provider === 'salesforce') {
        if (req.path === SF_TOKEN_PATH)
          return req.method === 'POST'
            ? handleSalesforceToken(this.ctx, req, baseUrl)
            : jsonResponse(405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
        return handleSalesforceData(this.ctx, req);
      }
      if (DV_TOKEN_PATH.test(req.path)) return handleDynamicsToken(this.ctx, req);
      return handleDynamicsData(this.ctx, req, baseUrl);
    } catch (error) {
      // A simulator bug must look like a CRM 500, not crash the request.
      const message = error instanceof Error ? error.message : String(error);
      return provider === 'salesforce'
        ? jsonResponse(500, [{ message, errorCode: 'UNKNOWN_EXCEPTION' }])
        : jsonResponse(
            500,
            { error: { code: '0x80040216', message } },
            'application/json; odata.metadata=minimal',
          );
    }
  }
}
