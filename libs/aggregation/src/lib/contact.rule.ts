// Merges the contact hints a lifecycle event carries. Genesys events carry no CRM id: an explicit
// contactId wins, then the configured participant attribute (e.g. SF_ContactId set by an Architect
// flow). A newer event overrides hints; an older redelivery only fills hints still missing.
import { type ContactHints, type ConversationLifecycle } from '@crm/contracts';

export interface ContactMerge {
  readonly contact: ContactHints;
  readonly contactAt: number | null;
  readonly changed: boolean;
}

const FIELDS = ['contactId', 'externalContactId', 'email', 'phone'] as const;

export function hintsOf(event: ConversationLifecycle, contactIdAttribute: string): ContactHints {
  const fromAttribute = event.attributes[contactIdAttribute]?.trim();
  return {
    ...event.contactHints,
    contactId:
      event.contactHints.contactId ??
      (fromAttribute === undefined || fromAttribute === '' ? null : fromAttribute),
  };
}

export function mergeContact(
  current: ContactHints,
  currentAt: number | null,
  event: ConversationLifecycle,
  contactIdAttribute: string,
): ContactMerge {
  const incoming = hintsOf(event, contactIdAttribute);
  const newer = currentAt === null || event.occurredAt >= currentAt;
  const next: ContactHints = { ...current };
  let changed = false;
  for (const field of FIELDS) {
    const value = incoming[field];
    if (value === null || value === current[field]) continue;
    if (current[field] !== null && !newer) continue;
    next[field] = value;
    changed = true;
  }
  if (!changed) return { contact: current, contactAt: currentAt, changed };
  return { contact: next, contactAt: Math.max(currentAt ?? event.occurredAt, event.occurredAt), changed };
}
