import { type ConversationLifecycle } from '@crm/contracts';

import { aContact, aLifecycle, T0 } from '../testing';
import { hintsOf, mergeContact } from './contact.rule';
import { NO_CONTACT } from './conversation.state';

const ATTRIBUTE = 'SF_ContactId';

function lifecycle(overrides: Partial<Omit<ConversationLifecycle, 'kind'>>): ConversationLifecycle {
  const record = aLifecycle('CONTACT_ATTRIBUTES', overrides);
  if (!('crm.extraction.ConversationLifecycle' in record.payload)) throw new Error('not a lifecycle record');
  return record.payload['crm.extraction.ConversationLifecycle'];
}

describe(hintsOf.name, () => {
  it('takes the contact id from the configured participant attribute', () => {
    const sut = hintsOf(lifecycle({ attributes: { SF_ContactId: '003XX0000004DcY' } }), ATTRIBUTE);

    expect(sut.contactId).toBe('003XX0000004DcY');
  });

  it('prefers an explicit contact id over the attribute', () => {
    const sut = hintsOf(
      lifecycle({
        attributes: { SF_ContactId: '003ATTRIBUTE' },
        contactHints: aContact({ contactId: '003EXPLICIT' }),
      }),
      ATTRIBUTE,
    );

    expect(sut.contactId).toBe('003EXPLICIT');
  });

  it('ignores a blank attribute and other attribute names', () => {
    expect(hintsOf(lifecycle({ attributes: { SF_ContactId: '  ' } }), ATTRIBUTE).contactId).toBeNull();
    expect(hintsOf(lifecycle({ attributes: { Other_Id: '003X' } }), ATTRIBUTE).contactId).toBeNull();
  });
});

describe(mergeContact.name, () => {
  it('fills missing hints and reports a change', () => {
    const sut = mergeContact(
      NO_CONTACT,
      null,
      lifecycle({ contactHints: aContact({ email: 'a@example.com' }) }),
      ATTRIBUTE,
    );

    expect(sut.changed).toBe(true);
    expect(sut.contact).toEqual(aContact({ email: 'a@example.com' }));
    expect(sut.contactAt).toBe(T0);
  });

  it('lets a newer event override a hint', () => {
    const sut = mergeContact(
      aContact({ contactId: '003OLD' }),
      T0,
      lifecycle({ contactHints: aContact({ contactId: '003NEW' }), occurredAt: T0 + 1_000 }),
      ATTRIBUTE,
    );

    expect(sut.contact.contactId).toBe('003NEW');
  });

  it('does not let an older redelivery overwrite a newer hint, but lets it fill a gap', () => {
    const sut = mergeContact(
      aContact({ contactId: '003NEW' }),
      T0,
      lifecycle({
        contactHints: aContact({ contactId: '003OLD', phone: '+14155550132' }),
        occurredAt: T0 - 1_000,
      }),
      ATTRIBUTE,
    );

    expect(sut.contact).toEqual(aContact({ contactId: '003NEW', phone: '+14155550132' }));
    expect(sut.contactAt).toBe(T0);
  });

  it('reports no change and keeps the same object when nothing new is hinted', () => {
    const current = aContact({ contactId: '003X' });

    const sut = mergeContact(
      current,
      T0,
      lifecycle({ contactHints: aContact({ contactId: '003X' }) }),
      ATTRIBUTE,
    );

    expect(sut.changed).toBe(false);
    expect(sut.contact).toBe(current);
  });
});
