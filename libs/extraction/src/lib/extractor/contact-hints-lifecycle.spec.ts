import { aChatMessage } from '../../testing';
import { contactHintsLifecycle } from './to-lifecycle';

describe(contactHintsLifecycle.name, () => {
  it('forwards the hints of a text event as a CONTACT_ATTRIBUTES record with its own id', () => {
    const event = aChatMessage('my order number is 0012345678', {
      contactHints: { contactId: '003X', externalContactId: null, email: null, phone: null },
    });
    const sut = contactHintsLifecycle(event);
    expect(sut).toMatchObject({
      eventId: `${event.eventId}:hints`,
      kind: 'CONTACT_ATTRIBUTES',
      conversationId: event.conversationId,
      contactHints: { contactId: '003X' },
    });
  });

  it('returns null when the event carries no hint', () => {
    expect(contactHintsLifecycle(aChatMessage('hello'))).toBeNull();
  });
});
