// multipart/mixed as OData $batch uses it: parts are embedded HTTP requests (application/http)
// or change sets (nested multipart/mixed). Both CRLF and bare LF line ends are accepted.
export interface EmbeddedRequest {
  kind: 'request';
  contentId: string | undefined;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ChangeSet {
  kind: 'changeset';
  requests: EmbeddedRequest[];
}

export type BatchItem = EmbeddedRequest | ChangeSet;

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /^multipart\/mixed\s*;.*boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

function splitHeaders(text: string): { headers: Record<string, string>; rest: string } {
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const rest = end ? text.slice(end.index + end[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest };
}

function parts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const pieces = body.split(delimiter);
  const closed = pieces.findIndex((piece, index) => index > 0 && piece.startsWith('--'));
  if (closed === -1) throw new MultipartError(`missing closing boundary --${boundary}--`);
  // The piece before the first delimiter is preamble; the one after the closing delimiter, epilogue.
  return pieces.slice(1, closed).map((piece) => piece.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
}

/** One application/http part: its MIME headers, then the embedded request line, headers and body. */
function parseEmbedded(part: string): EmbeddedRequest {
  const { headers, rest } = splitHeaders(part);
  if (!/^application\/http/i.test(headers['content-type'] ?? ''))
    throw new MultipartError('each request part must be application/http');
  const lineEnd = /\r?\n/.exec(rest);
  const requestLine = (lineEnd ? rest.slice(0, lineEnd.index) : rest).trim();
  const match = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/1\.[01])?$/.exec(requestLine);
  if (!match) throw new MultipartError(`malformed request line: ${requestLine}`);
  const inner = splitHeaders(lineEnd ? rest.slice(lineEnd.index + lineEnd[0].length) : '');
  return {
    kind: 'request',
    contentId: headers['content-id'],
    method: match[1] ?? '',
    url: match[2] ?? '',
    headers: inner.headers,
    body: inner.rest.trim(),
  };
}

export function parseBatch(body: string, boundary: string): BatchItem[] {
  return parts(body, boundary).map((part): BatchItem => {
    const { headers, rest } = splitHeaders(part);
    const nested = boundaryOf(headers['content-type']);
    if (nested !== undefined) return { kind: 'changeset', requests: parts(rest, nested).map(parseEmbedded) };
    return parseEmbedded(part);
  });
}

export interface EmbeddedResponse {
  contentId: string | undefined;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function renderResponse(response: EmbeddedResponse): string {
  const head = [`Content-Type: application/http`, `Content-Transfer-Encoding: binary`];
  if (response.contentId !== undefined) head.push(`Content-ID: ${response.contentId}`);
  const lines = [
    `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ''}`.trimEnd(),
    ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${lines.join('\r\n')}\r\n\r\n${response.body}`;
}

export type ResponseItem =
  | { kind: 'response'; response: EmbeddedResponse }
  | { kind: 'changeset'; boundary: string; responses: EmbeddedResponse[] };

export function renderBatch(boundary: string, items: readonly ResponseItem[]): string {
  const rendered = items.map((item) => {
    if (item.kind === 'response') return renderResponse(item.response);
    const inner = item.responses
      .map((response) => `--${item.boundary}\r\n${renderResponse(response)}`)
      .join('\r\n');
    return `Content-Type: multipart/mixed; boundary=${item.boundary}\r\n\r\n${inner}\r\n--${item.boundary}--`;
  });
  return `${rendered.map((part) => `--${boundary}\r\n${part}`).join('\r\n')}\r\n--${boundary}--\r\n`;
}
