// The simulator's handlers are plain functions from a request to a response, so $batch can run
// embedded requests through the same code as top-level ones, and unit tests need no server.
export type Provider = 'salesforce' | 'dynamics';

export interface SimRequest {
  method: string;
  /** Decoded path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Raw body text ('' when none). */
  body: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
}

export const SF_JSON = 'application/json;charset=UTF-8';

export function jsonResponse(
  status: number,
  body: unknown,
  contentType = SF_JSON,
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SimResponse {
  return { status, headers };
}

export function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'invalid JSON' };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
