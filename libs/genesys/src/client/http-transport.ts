// The only place that performs HTTP: undici with connect, header and body timeouts. Network
// failures become GenesysUnavailableError; statuses are left to the caller.
import { Agent, request } from 'undici';
import { GenesysUnavailableError } from './genesys.error';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export interface UndiciTransportOptions {
  timeoutMs?: number;
  connections?: number;
}

export function undiciTransport(
  options: UndiciTransportOptions = {},
): HttpTransport & { close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dispatcher = new Agent({
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: options.connections ?? 16,
  });
  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher,
      });
      const body = await response.body.text();
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
      }
      return { status: response.statusCode, headers, body };
    } catch (error) {
      throw new GenesysUnavailableError(
        `${req.method} ${new URL(req.url).pathname} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  return Object.assign(send, { close: () => dispatcher.close() });
}
