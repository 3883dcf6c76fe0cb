// GET /health/live, /health/ready and /metrics on node:http, for a service whose only HTTP is its
// probes and its scrape (the extractor, apps/extractor/README.md "Why no Nest"): the same answers
// as the Nest HealthModule, without loading Nest and Fastify into a process with a 128 MiB budget.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Registry } from 'prom-client';
import { type HealthRegistry } from './health';
import { liveness, METRICS_CONTENT_TYPE, readiness, scrape } from './health-endpoints';
import { type Logger } from './logger';

export interface HealthServerOptions {
  readonly health: HealthRegistry;
  readonly metrics: Registry;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
}

export interface HealthServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops accepting connections and closes idle keep-alive ones; resolves when all are closed. */
  close(): Promise<void>;
}

type Route = (response: ServerResponse, head: boolean) => void | Promise<void>;

function sendJson(response: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(head ? undefined : text);
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { health, metrics, logger } = options;
  const routes = new Map<string, Route>([
    [
      '/health/live',
      (response, head) => {
        const answer = liveness();
        sendJson(response, answer.status, answer.body, head);
      },
    ],
    [
      '/health/ready',
      async (response, head) => {
        const answer = await readiness(health);
        sendJson(response, answer.status, answer.body, head);
      },
    ],
    [
      '/metrics',
      async (response, head) => {
        const text = await scrape(metrics);
        response.writeHead(200, {
          'content-type': METRICS_CONTENT_TYPE,
          'content-length': Buffer.byteLength(text),
        });
        response.end(head ? undefined : text);
      },
    ],
  ]);

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    const route = routes.get(path);
    if (route === undefined) {
      sendJson(response, 404, { statusCode: 404, error: 'Not Found', message: `Cannot ${method} ${path}` });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      sendJson(response, 405, {
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${method} is not allowed on ${path}; use GET`,
      });
      return;
    }
    Promise.resolve()
      .then(() => route(response, method === 'HEAD'))
      .catch((error: unknown) => {
        logger.error({ err: error, path }, 'health endpoint failed');
        if (!response.headersSent)
          sendJson(response, 500, {
            statusCode: 500,
            error: 'Internal Server Error',
            message: 'see the service log',
          });
        else response.destroy();
      });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After start-up, a server error (e.g. out of file descriptors on accept) is logged, not a crash.
  server.on('error', (error) => logger.error({ err: error }, 'health server error'));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
