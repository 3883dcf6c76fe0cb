import { type CrmAdapter, type LookupResult } from '@crm/crm';
import { ContactResolver } from './contact.resolver';

function adapterReturning(result: LookupResult): CrmAdapter & { lookupContact: jest.Mock } {
  return {
    provider: 'salesforce',
    read: jest.fn(),
    update: jest.fn(),
    lookupContact: jest.fn(() => Promise.resolve(result)),
  };
}
const hints = { contactId: null, externalContactId: null, email: 'ann@example.com', phone: null };

describe(ContactResolver.name, () => {
  it('uses an explicit contact id without calling the CRM', async () => {
    const adapter = adapterReturning({ status: 'not-found' });
    const sut = new ContactResolver(adapter, 1_000);
    expect(await sut.resolve({ ...hints, contactId: '003X' })).toEqual({
      status: 'resolved',
      id: '003X',
      lookedUp: false,
    });
    expect(adapter.lookupContact).not.toHaveBeenCalled();
  });

  it('caches a lookup for its TTL', async () => {
    let now = 0;
    const adapter = adapterReturning({ status: 'found', id: '003Y' });
    const sut = new ContactResolver(adapter, 1_000, () => now);
    await sut.resolve(hints);
    now = 999;
    await sut.resolve(hints);
    expect(adapter.lookupContact).toHaveBeenCalledTimes(1);
    now = 1_001;
    await sut.resolve(hints);
    expect(adapter.lookupContact).toHaveBeenCalledTimes(2);
  });

  it('leaves ambiguous, missing and hint-less contacts unresolved', async () => {
    expect(
      await new ContactResolver(adapterReturning({ status: 'ambiguous', count: 2 }), 0).resolve(hints),
    ).toEqual({ status: 'unresolved', why: 'AMBIGUOUS' });
    expect(await new ContactResolver(adapterReturning({ status: 'not-found' }), 0).resolve(hints)).toEqual({
      status: 'unresolved',
      why: 'NOT_FOUND',
    });
    expect(
      await new ContactResolver(adapterReturning({ status: 'not-found' }), 0).resolve({
        ...hints,
        email: null,
      }),
    ).toEqual({ status: 'unresolved', why: 'NO_HINTS' });
  });
});
