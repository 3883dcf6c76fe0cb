// Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 003 for Contact)
// or 18 with a case-insensitive checksum suffix. The suffix algorithm is the documented one.
import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
export const CONTACT_KEY_PREFIX = '003';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15.charAt(chunk * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

/** The 18-character form, or undefined when `raw` is not a well-formed id. */
export function normaliseSalesforceId(raw: string): string | undefined {
  if (!/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(raw)) return undefined;
  const id15 = raw.slice(0, 15);
  const expected = checksumSuffix(id15);
  if (raw.length === 18 && raw.slice(15).toUpperCase() !== expected) return undefined;
  return id15 + expected;
}

export function newSalesforceId(keyPrefix = CONTACT_KEY_PREFIX): string {
  let body = '';
  for (let i = 0; i < 12; i++) body += BASE62.charAt(randomInt(BASE62.length));
  const id15 = `${keyPrefix}${body}`;
  return id15 + checksumSuffix(id15);
}
