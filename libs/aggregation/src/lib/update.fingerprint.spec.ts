import { type ProvenancedValue } from '@crm/contracts';

import { aContact, T0 } from '../testing';
import { updateIdOf } from './update.fingerprint';

const value = (v: string, entityId: string): ProvenancedValue => ({
  value: v,
  entityId,
  confidence: 0.95,
  occurredAt: T0,
});

describe(updateIdOf.name, () => {
  const contact = aContact({ contactId: '003X' });

  it('is the same for the same values in any key order, so a replay yields the same id', () => {
    const a = updateIdOf('c-1', 'Contact', contact, {
      OrderNumber: value('1', 'e1'),
      Email: value('a@b.c', 'e2'),
    });
    const b = updateIdOf('c-1', 'Contact', contact, {
      Email: value('a@b.c', 'e2'),
      OrderNumber: value('1', 'e1'),
    });

    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs per conversation, value, provenance and contact', () => {
    const base = updateIdOf('c-1', 'Contact', contact, { OrderNumber: value('1', 'e1') });

    expect(updateIdOf('c-2', 'Contact', contact, { OrderNumber: value('1', 'e1') })).not.toBe(base);
    expect(updateIdOf('c-1', 'Contact', contact, { OrderNumber: value('2', 'e1') })).not.toBe(base);
    expect(updateIdOf('c-1', 'Contact', contact, { OrderNumber: value('1', 'e9') })).not.toBe(base);
    expect(
      updateIdOf('c-1', 'Contact', aContact({ contactId: '003Y' }), { OrderNumber: value('1', 'e1') }),
    ).not.toBe(base);
  });

  it('ignores confidence and time, which do not change what is written', () => {
    const base = updateIdOf('c-1', 'Contact', contact, { OrderNumber: value('1', 'e1') });

    const sut = updateIdOf('c-1', 'Contact', contact, {
      OrderNumber: { ...value('1', 'e1'), confidence: 0.5, occurredAt: 1 },
    });

    expect(sut).toBe(base);
  });
});
