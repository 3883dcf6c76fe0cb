// Names a CRM request for the request log and the metrics label (a small, fixed set).
import { type Provider } from './sim-http';

export function operationOf(provider: Provider, method: string, path: string): string {
  if (path.endsWith('/token')) return 'token';
  if (provider === 'salesforce') {
    const rest = path.replace(/^\/services\/data\/v[\d.]+\/?/, '');
    if (rest === 'query') return 'query';
    if (rest.startsWith('composite/sobjects')) return 'collections';
    const segments = rest.split('/').filter((segment) => segment !== '');
    if (segments[0] === 'sobjects' && segments.length === 4) return 'upsert';
    if (segments[0] === 'sobjects' && segments.length === 3) return method === 'GET' ? 'get' : 'patch';
    return 'other';
  }
  if (path.endsWith('/$batch')) return 'batch';
  if (/\/contacts\(.*\)$/.test(path)) return method === 'GET' ? 'get' : 'patch';
  if (/\/contacts$/.test(path)) return method === 'GET' ? 'query' : 'create';
  return 'other';
}

export function summarise(operation: string, body: string, query: URLSearchParams): string {
  if (operation === 'token') return `grant_type=${new URLSearchParams(body).get('grant_type') ?? '?'}`;
  if (operation === 'batch')
    return `parts=${(body.match(/^Content-Type:\s*application\/http/gim) ?? []).length}`;
  if (operation === 'query') return query.has('q') ? 'soql' : 'filter';
  if (body === '') return '';
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return '';
    const records = (parsed as Record<string, unknown>)['records'];
    if (Array.isArray(records)) return `records=${records.length}`;
    return `fields=${Object.keys(parsed).join(',')}`;
  } catch {
    return 'unparseable body';
  }
}
