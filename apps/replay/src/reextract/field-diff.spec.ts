import { type ContactUpdateRequested } from '@crm/contracts';
import { diffUpdate, redact } from './field-diff';

function anUpdate(values: Record<string, string>): ContactUpdateRequested {
  return {
    updateId: 'u',
    conversationId: 'c-1',
    contact: { contactId: '003A', externalContactId: null, email: null, phone: null },
    crmObject: 'Contact',
    values: Object.fromEntries(
      Object.entries(values).map(([type, value]) => [
        type,
        { value, entityId: `e-${type}`, confidence: 1, occurredAt: 1 },
      ]),
    ),
    trigger: 'ENDED',
    mediaType: 'CHAT',
    conversationAt: 1,
    requestedAt: 1,
    replay: false,
  };
}

describe(diffUpdate.name, () => {
  const sut = diffUpdate;
  const fieldOf = (type: string) => ({ OrderNumber: 'Order_Number__c', Email: 'Email' })[type] ?? type;

  it('lists only the fields whose value would change, by CRM field name', () => {
    const changes = sut(
      'c-1',
      anUpdate({ OrderNumber: '0012345678', Email: 'a@example.com' }),
      anUpdate({ OrderNumber: '0012345679', Email: 'a@example.com', CaseNumber: '00012345' }),
      fieldOf,
    );

    expect(changes).toEqual([
      { conversationId: 'c-1', contact: '003A', field: 'CaseNumber', current: null, proposed: '00012345' },
      {
        conversationId: 'c-1',
        contact: '003A',
        field: 'Order_Number__c',
        current: '0012345678',
        proposed: '0012345679',
      },
    ]);
  });

  it('finds no change when the re-extraction proposes what was requested', () => {
    expect(
      sut('c-1', anUpdate({ Email: 'a@example.com' }), anUpdate({ Email: 'a@example.com' }), fieldOf),
    ).toEqual([]);
  });
});

describe(redact.name, () => {
  it('never shows a value whole, but tells different values apart', () => {
    const shown = redact('0012345678');

    expect(shown).not.toContain('12345');
    expect(shown).toMatch(/^00…78 #[0-9a-f]{6}$/);
    expect(redact('0012345679')).not.toBe(shown);
    expect(redact('short')).toMatch(/^\*{5} #/);
    expect(redact(null)).toBe('(none)');
  });
});
