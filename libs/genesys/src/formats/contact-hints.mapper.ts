// Contact hints in DESIGN §4 order: explicit contactId, a configured participant attribute, the
// Genesys external contact id, then the customer's address (ANI or email) for a CRM lookup.
import { type ContactHints } from '@crm/contracts';

export const DEFAULT_CONTACT_ID_ATTRIBUTES: readonly string[] = ['SF_ContactId'];

export interface HintSources {
  contactId?: string | undefined;
  attributes?: Record<string, string> | undefined;
  contactIdAttributes?: readonly string[] | undefined;
  externalContactId?: string | undefined;
  /** The customer's address: `tel:+1555…`, a bare number, or an email address. */
  customerAddress?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

const PHONE = /^\+?[0-9][0-9 ().-]{5,}$/;

export function contactHintsOf(sources: HintSources): ContactHints {
  const attributeId = (sources.contactIdAttributes ?? DEFAULT_CONTACT_ID_ATTRIBUTES)
    .map((name) => sources.attributes?.[name])
    .find((value) => value !== undefined && value.length > 0);
  const address = sources.customerAddress?.replace(/^(tel|sip|mailto):/i, '').trim();
  const email = sources.email ?? (address?.includes('@') ? address.toLowerCase() : undefined);
  const phone =
    sources.phone ??
    (address !== undefined && PHONE.test(address) ? address.replace(/[ ().-]/g, '') : undefined);
  return {
    contactId: sources.contactId ?? attributeId ?? null,
    externalContactId: sources.externalContactId ?? null,
    email: email ?? null,
    phone: phone ?? null,
  };
}
