// The OData subset a CRM writer needs to find a contact: $filter=field eq 'literal'
// [and|or field eq 'literal' …], and entity keys: (guid) or alternate keys (field='v',…).
export interface ODataCondition {
  field: string;
  value: string;
}

export class ODataParseError extends Error {
  override readonly name = 'ODataParseError';
}

export function parseODataFilter(text: string): { conditions: ODataCondition[]; join: 'and' | 'or' } {
  const conditions: ODataCondition[] = [];
  const joins = new Set<string>();
  let rest = text.trim();
  for (;;) {
    // OData string literals escape a quote by doubling it.
    const condition = /^([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+'((?:[^']|'')*)'\s*/.exec(rest);
    if (!condition)
      throw new ODataParseError(`Syntax error at position ${text.length - rest.length} in '${text}'.`);
    conditions.push({ field: condition[1] ?? '', value: (condition[2] ?? '').replace(/''/g, "'") });
    rest = rest.slice(condition[0].length);
    if (rest === '') break;
    const join = /^(and|or)\s+/.exec(rest);
    if (!join)
      throw new ODataParseError(`Syntax error at position ${text.length - rest.length} in '${text}'.`);
    joins.add(join[1] ?? '');
    rest = rest.slice(join[0].length);
  }
  if (joins.size > 1)
    throw new ODataParseError('mixing and/or without parentheses is not supported by the simulator');
  return { conditions, join: joins.has('or') ? 'or' : 'and' };
}

export type EntityKey = { kind: 'id'; id: string } | { kind: 'alternate'; values: Record<string, string> };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The part between the parentheses of `contacts(...)`. */
export function parseEntityKey(text: string): EntityKey {
  const trimmed = text.trim();
  if (GUID.test(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() };
  const values: Record<string, string> = {};
  let rest = trimmed;
  for (;;) {
    const pair = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^']|'')*)'|([0-9a-fA-F-]{36}))\s*/.exec(rest);
    if (!pair) throw new ODataParseError(`Bad Request - Error in query syntax: '${text}'.`);
    values[pair[1] ?? ''] = pair[2] === undefined ? (pair[3] ?? '') : pair[2].replace(/''/g, "'");
    rest = rest.slice(pair[0].length);
    if (rest === '') break;
    if (!rest.startsWith(',')) throw new ODataParseError(`Bad Request - Error in query syntax: '${text}'.`);
    rest = rest.slice(1).trim();
  }
  return { kind: 'alternate', values };
}
