// The dry-run diff of a re-extraction: per conversation, the CRM fields whose value would differ
// from what the pipeline last requested. Values are shown redacted (edges and a short hash), so
// the table tells "changed" from "same" without printing an entity value.
import { createHash } from 'node:crypto';
import { type ContactUpdateRequested } from '@crm/contracts';

export interface FieldChange {
  conversationId: string;
  contact: string;
  field: string;
  current: string | null;
  proposed: string | null;
}

export function redact(value: string | null): string {
  if (value === null) return '(none)';
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 6);
  const edges = value.length >= 8 ? `${value.slice(0, 2)}…${value.slice(-2)}` : '*'.repeat(value.length);
  return `${edges} #${hash}`;
}

function contactOf(update: ContactUpdateRequested): string {
  const { contact } = update;
  if (contact.contactId) return contact.contactId;
  if (contact.externalContactId) return `ext:${contact.externalContactId}`;
  return contact.email || contact.phone ? '(lookup by email/phone)' : '(unresolved)';
}

export function diffUpdate(
  conversationId: string,
  current: ContactUpdateRequested | null,
  proposed: ContactUpdateRequested | null,
  fieldOf: (entityType: string) => string,
): FieldChange[] {
  const types = new Set([...Object.keys(current?.values ?? {}), ...Object.keys(proposed?.values ?? {})]);
  const contact = proposed ? contactOf(proposed) : current ? contactOf(current) : '(unresolved)';
  const changes: FieldChange[] = [];
  for (const type of [...types].sort()) {
    const before = current?.values[type]?.value ?? null;
    const after = proposed?.values[type]?.value ?? null;
    if (before === after) continue;
    changes.push({ conversationId, contact, field: fieldOf(type), current: before, proposed: after });
  }
  return changes;
}
