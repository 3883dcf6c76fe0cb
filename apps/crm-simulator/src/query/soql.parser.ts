// The SOQL subset a CRM writer needs to find a contact: SELECT fields FROM Contact WHERE
// field = 'literal' [AND|OR field = 'literal' …] [LIMIT n]. Anything else is MALFORMED_QUERY.
export interface SoqlCondition {
  field: string;
  value: string;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  conditions: SoqlCondition[];
  /** How the conditions combine; 'and' for a single condition. */
  join: 'and' | 'or';
  limit: number | undefined;
}

export class SoqlParseError extends Error {
  override readonly name = 'SoqlParseError';
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseSoql(text: string): SoqlQuery {
  const match =
    /^\s*SELECT\s+(.+?)\s+FROM\s+([A-Za-z][A-Za-z0-9_]*)(?:\s+WHERE\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(
      text,
    );
  if (!match) throw new SoqlParseError(`unexpected token: '${text.trim().split(/\s+/)[0] ?? ''}'`);
  const [, fieldList = '', object = '', where, limit] = match;
  const fields = fieldList.split(',').map((field) => field.trim());
  const badField = fields.find((field) => !IDENTIFIER.test(field));
  if (badField !== undefined) throw new SoqlParseError(`unexpected token: '${badField}'`);
  const { conditions, join } =
    where === undefined ? { conditions: [], join: 'and' as const } : parseWhere(where);
  return { fields, object, conditions, join, limit: limit === undefined ? undefined : Number(limit) };
}

function parseWhere(where: string): { conditions: SoqlCondition[]; join: 'and' | 'or' } {
  const conditions: SoqlCondition[] = [];
  const joins = new Set<string>();
  let rest = where.trim();
  for (;;) {
    // SOQL string literals escape quotes and backslashes with a backslash.
    const condition = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*'((?:[^'\\]|\\.)*)'\s*/s.exec(rest);
    if (!condition) throw new SoqlParseError(`unexpected token in WHERE: '${rest.split(/\s+/)[0] ?? ''}'`);
    conditions.push({ field: condition[1] ?? '', value: (condition[2] ?? '').replace(/\\(.)/g, '$1') });
    rest = rest.slice(condition[0].length);
    if (rest === '') break;
    const join = /^(AND|OR)\s+/i.exec(rest);
    if (!join) throw new SoqlParseError(`unexpected token: '${rest.split(/\s+/)[0] ?? ''}'`);
    joins.add((join[1] ?? '').toLowerCase());
    rest = rest.slice(join[0].length);
  }
  if (joins.size > 1) throw new SoqlParseError('mixing AND and OR without parentheses is not supported');
  return { conditions, join: joins.has('or') ? 'or' : 'and' };
}
