import { ContactStore, conversationIdOf } from './contact-store';
import { checksumSuffix, newSalesforceId, normaliseSalesforceId } from './salesforce-id';

describe(ContactStore.name, () => {
  let now = 1_000;
  const clock = () => now;

  it('records every written field with the conversation sent in the same write, old → new', () => {
    const sut = new ContactStore(clock);
    const [record] = sut.seed('salesforce', [
      { id: '003000000000001', fields: { Email: 'old@example.com' } },
    ]);
    now = 2_000;
    sut.write(record!, { Email: 'new@example.com', Last_Conversation_Id__c: 'conv-9' }, 'PATCH');

    expect(record!.fields).toEqual({ Email: 'new@example.com', Last_Conversation_Id__c: 'conv-9' });
    expect(record!.history).toEqual([
      {
        at: new Date(2_000).toISOString(),
        field: 'Email',
        oldValue: 'old@example.com',
        newValue: 'new@example.com',
        conversationId: 'conv-9',
        via: 'PATCH',
      },
      {
        at: new Date(2_000).toISOString(),
        field: 'Last_Conversation_Id__c',
        oldValue: null,
        newValue: 'conv-9',
        conversationId: 'conv-9',
        via: 'PATCH',
      },
    ]);
    expect(record!.lastModifiedAt).toBe(2_000);
    expect(record!.version).toBe(2);
  });

  it('normalises 15-character Salesforce ids to 18 on seed and lookup', () => {
    const sut = new ContactStore(clock);
    const [record] = sut.seed('salesforce', [{ id: '003000000000001', fields: {} }]);

    expect(record!.id).toBe('003000000000001AAA');
    expect(sut.get('salesforce', '003000000000001AAA')).toBe(record);
  });

  it('finds live records by field case-insensitively and ignores deleted ones', () => {
    const sut = new ContactStore(clock);
    const [a, b] = sut.seed('dynamics', [
      { fields: { emailaddress1: 'Ada@Example.com' } },
      { fields: { emailaddress1: 'ada@example.com' } },
    ]);
    sut.markDeleted('dynamics', b!.id);

    expect(sut.findBy('dynamics', { emailaddress1: 'ada@example.com' })).toEqual([a]);
  });

  it('restores a snapshot, undoing writes made after it', () => {
    const sut = new ContactStore(clock);
    const [record] = sut.seed('dynamics', [{ fields: { firstname: 'Ada' } }]);
    const snapshot = sut.snapshot();
    sut.write(record!, { firstname: 'Grace' }, 'PATCH');
    sut.restore(snapshot);

    expect(sut.get('dynamics', record!.id)?.fields['firstname']).toBe('Ada');
    expect(sut.get('dynamics', record!.id)?.history).toEqual([]);
  });

  it('rejects a seed with a malformed Salesforce id', () => {
    const sut = new ContactStore(clock);

    expect(() => sut.seed('salesforce', [{ id: 'not-an-id', fields: {} }])).toThrow('not a Salesforce id');
  });
});

describe(conversationIdOf.name, () => {
  it('reads Last_Conversation_Id__c or a Dataverse conversation column', () => {
    expect(conversationIdOf({ Email: 'a', Last_Conversation_Id__c: 'c1' })).toBe('c1');
    expect(conversationIdOf({ new_lastconversationid: 'c2' })).toBe('c2');
    expect(conversationIdOf({ Email: 'a' })).toBeNull();
  });
});

describe(normaliseSalesforceId.name, () => {
  it('accepts a matching 18-character suffix in any case and rejects a wrong one', () => {
    expect(normaliseSalesforceId('003000000000001aaa')).toBe('003000000000001AAA');
    expect(normaliseSalesforceId('003000000000001AAB')).toBeUndefined();
    expect(normaliseSalesforceId('003-bad')).toBeUndefined();
  });

  it('computes the documented checksum from upper-case positions', () => {
    // Upper-case letters at positions 0 and 2 of the first chunk: bits 0b00101 = 5 → 'F'.
    expect(checksumSuffix('A0B000000000000')).toBe('FAA');
    expect(normaliseSalesforceId(newSalesforceId())).toMatch(/^003[0-9A-Za-z]{15}$/);
  });
});
