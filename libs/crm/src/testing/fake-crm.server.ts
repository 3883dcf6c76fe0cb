// A small HTTP server speaking Salesforce REST (token, sObject rows, SOQL, sObject Collections) and
// Dataverse Web API v9.2 (Entra token, rows with ETags, $filter, $batch), per crm-apis.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { FakeCrmState } from './fake-crm.state';
import { handleDynamics } from './fake-dynamics.routes';
import { handleSalesforce } from './fake-salesforce.routes';

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export class FakeCrmServer {
  readonly state = new FakeCrmState();
  private server: Server | null = null;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pending = { method: req.method ?? 'GET', path: req.url ?? '/' };
    this.state.inFlight.add(pending);
    res.once('close', () => this.state.inFlight.delete(pending));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const isToken = url.pathname.endsWith('/token');
    const latency = this.state.faults.latencyMs ?? 0;
    if (!isToken && latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const route =
      url.pathname.startsWith('/api/data/') || url.pathname.includes('/oauth2/v2.0/')
        ? handleDynamics
        : handleSalesforce;
    let reply: FakeReply;
    try {
      reply = route(this.state, { method: req.method ?? 'GET', url, headers: req.headers, body });
    } catch (error) {
      reply = {
        status: 500,
        body: [{ message: error instanceof Error ? error.message : 'error', errorCode: 'UNKNOWN_EXCEPTION' }],
      };
    }
    this.state.log.push({
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      status: reply.status,
      at: Date.now(),
    });
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload = '';
    if (reply.body !== undefined) {
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      headers['content-type'] ??=
        route === handleSalesforce
          ? 'application/json;charset=UTF-8'
          : 'application/json; odata.metadata=minimal';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}
