// Helpers for the integration specs: obtain tokens and call the simulator with plain fetch.
export const SF_CLIENT = { id: 'sim-salesforce-client', secret: 'sim-salesforce-secret' };
export const DV_CLIENT = { id: 'sim-dynamics-client', secret: 'sim-dynamics-secret' };
export const SF_API = '/services/data/v62.0';
export const DV_API = '/api/data/v9.2';
export const ADA_SF = '003000000000001AAA';
export const ADA_DV = '00000000-0000-0000-0000-000000000001';

export function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

export async function salesforceToken(url: string): Promise<string> {
  const response = await fetch(
    `${url}/services/oauth2/token`,
    form({ grant_type: 'client_credentials', client_id: SF_CLIENT.id, client_secret: SF_CLIENT.secret }),
  );
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export async function dynamicsToken(url: string): Promise<string> {
  const response = await fetch(
    `${url}/tenant-1/oauth2/v2.0/token`,
    form({
      grant_type: 'client_credentials',
      client_id: DV_CLIENT.id,
      client_secret: DV_CLIENT.secret,
      scope: 'https://org.crm.dynamics.com/.default',
    }),
  );
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

export function patchJson(token: string, body: unknown, extra: Record<string, string> = {}): RequestInit {
  return {
    method: 'PATCH',
    headers: bearer(token, { 'content-type': 'application/json', ...extra }),
    body: JSON.stringify(body),
  };
}

export async function putFaults(url: string, faults: unknown): Promise<void> {
  const response = await fetch(`${url}/__admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (response.status !== 200)
    throw new Error(`PUT /__admin/faults answered ${response.status}: ${await response.text()}`);
}

export function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256' })}.${encode(claims)}.signature`;
}
