// The updateId: a deterministic hash of what an update would write, so a replay yields the same id
// (the writer's idempotency key) and an unchanged value set is recognised without keeping it.
// Provenance (entityId) is part of it: A -> B -> A across flushes yields three distinct ids, and a
// newly resolved contact yields a new id, so the writer never mistakes either for a replay.
import { createHash } from 'node:crypto';

import { type ContactHints, type ProvenancedValue } from '@crm/contracts';

export function updateIdOf(
  conversationId: string,
  crmObject: string,
  contact: ContactHints,
  values: Readonly<Record<string, ProvenancedValue>>,
): string {
  const entries = Object.entries(values)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, v]) => [type, v.value, v.entityId]);
  const canonical = JSON.stringify([
    conversationId,
    crmObject,
    [contact.contactId, contact.externalContactId, contact.email, contact.phone],
    entries,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
