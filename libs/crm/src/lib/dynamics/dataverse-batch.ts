// The multipart/mixed framing of Dataverse `$batch` (OData 4.0 §11.7): independent requests, no
// change set, so each part succeeds or fails on its own under `Prefer: odata.continue-on-error`.
export interface BatchPart {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface BatchPartResponse {
  status: number;
  body: unknown;
}

const CRLF = '\r\n';

export function buildBatchBody(boundary: string, parts: readonly BatchPart[]): string {
  const chunks = parts.map((part, index) => {
    const headers = Object.entries(part.headers).map(([name, value]) => `${name}: ${value}`);
    return [
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${index + 1}`,
      '',
      `${part.method} ${part.url} HTTP/1.1`,
      ...headers,
      '',
      part.body,
    ].join(CRLF);
  });
  return `${chunks.join(CRLF)}${CRLF}--${boundary}--${CRLF}`;
}

/** Reads each embedded HTTP response's status line and JSON body, in order. */
export function parseBatchResponse(contentType: string | null, raw: string): BatchPartResponse[] {
  const boundary =
    /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1] ?? /^--([^\r\n]+)/.exec(raw.trimStart())?.[1];
  if (!boundary) return [];
  const out: BatchPartResponse[] = [];
  for (const section of raw.split(`--${boundary}`)) {
    if (section.trim() === '' || section.startsWith('--')) continue;
    // A change set would nest another multipart here; we never send one, so one response per part.
    const statusMatch = /HTTP\/1\.1 (\d{3})/.exec(section);
    if (!statusMatch) continue;
    const afterStatus = section.slice(statusMatch.index);
    const blank = afterStatus.search(/\r?\n\r?\n/);
    const text = blank < 0 ? '' : afterStatus.slice(blank).trim();
    out.push({ status: Number(statusMatch[1]), body: parseJson(text) });
  }
  return out;
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
