// RFC 9457 problem details: every refusal of the events endpoint is application/problem+json.
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return { type: `urn:crm-pipeline:problem:ingest:${slug}`, title, status, detail, ...extensions };
}
