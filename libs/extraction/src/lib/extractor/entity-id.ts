import { createHash } from 'node:crypto';

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
  return createHash('sha256')
    .update(`${sourceEventId}\u001f${entityType}\u001f${where}\u001f${value}`)
    .digest('hex')
    .slice(0, 32);
}
