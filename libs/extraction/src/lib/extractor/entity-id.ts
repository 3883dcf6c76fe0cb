import * as crypto from 'node:crypto';

import { type TextSpan } from '@crm/contracts';

/**
 * Deterministic id: a redelivered event yields the same id, so downstream dedupe is exact. For
 * redacted card numbers the caller passes a fixed marker, never the number: a hash of a card number
 * can be brute-forced.
 */
export function entityIdOf(
  sourceEventId: string,
  entityType: string,
  span: TextSpan | null | string,
  value: string,
): string {
  const where = span === null ? '-' : typeof span === 'string' ? span : `${span.start}:${span.end}`;
  return sha256Hex(`${sourceEventId}\u001f${entityType}\u001f${where}\u001f${value}`).slice(0, 32);
}

// One-shot crypto.hash (Node >= 20.12) skips the Hash object: about half the cost per id.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256Hex(data: string): string {
  return oneShot === undefined
    ? crypto.createHash('sha256').update(data).digest('hex')
    : oneShot('sha256', data, 'hex');
}
