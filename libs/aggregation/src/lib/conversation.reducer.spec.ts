import { aContact, aLifecycle, anEntity, aPolicy, aStateFrom, A_CONVERSATION_ID, T0 } from '../testing';
import { applyRecord, conversationIdOf } from './conversation.reducer';

const policy = aPolicy();

describe(applyRecord.name, () => {
  it('starts a state for a new conversation and chooses the entity', () => {
    const sut = applyRecord(null, anEntity({ entityId: 'ent-1', value: '1234567890' }), T0 + 100, policy);

    expect(sut.outcome).toBe('CHANGED');
    expect(sut.state.conversationId).toBe(A_CONVERSATION_ID);
    expect(sut.state.slots['OrderNumber']?.chosen).toMatchObject({ value: '1234567890', entityId: 'ent-1' });
    expect(sut.state.mediaType).toBe('VOICE');
    expect(sut.state.pendingSince).toBe(T0 + 100);
    expect(sut.state.firstActivityAt).toBe(T0 + 100);
  });

  it('returns the very same state for a redelivered entity', () => {
    const record = anEntity({ entityId: 'ent-1' });
    const state = aStateFrom([[record, T0]]);

    const sut = applyRecord(state, record, T0 + 5_000, policy);

    expect(sut.outcome).toBe('DUPLICATE');
    expect(sut.state).toBe(state);
  });

  it('returns the very same state for a redelivered lifecycle event', () => {
    const record = aLifecycle('CONVERSATION_ENDED', { eventId: 'ev-end' });
    const state = aStateFrom([
      [anEntity(), T0],
      [record, T0 + 1],
    ]);

    const sut = applyRecord(state, record, T0 + 5_000, policy);

    expect(sut.outcome).toBe('DUPLICATE');
    expect(sut.state).toBe(state);
  });

  it('does not arm a flush for a repeated mention, but restarts the debounce clock', () => {
    const state = aStateFrom([[anEntity(), T0]]);
    const flushed = { ...state, pendingSince: null };

    const sut = applyRecord(flushed, anEntity({ occurredAt: T0 + 9_000 }), T0 + 9_000, policy);

    expect(sut.outcome).toBe('UNCHANGED');
    expect(sut.state.pendingSince).toBeNull();
    expect(sut.state.lastInputAt).toBe(T0 + 9_000);
  });

  it('reports an entity type newly held back as ambiguous without arming a flush', () => {
    const state = { ...aStateFrom([[anEntity({ value: '1111111111' }), T0]]), pendingSince: null };

    const sut = applyRecord(
      state,
      anEntity({ value: '2222222222', occurredAt: T0 + 1_000 }),
      T0 + 1_000,
      policy,
    );

    expect(sut.outcome).toBe('AMBIGUOUS');
    expect(sut.state.slots['OrderNumber']?.ambiguous).toBe(true);
    expect(sut.state.pendingSince).toBeNull();
  });

  it('takes contact hints and the configured contact id attribute from lifecycle events', () => {
    const sut = applyRecord(
      null,
      aLifecycle('CONTACT_ATTRIBUTES', {
        attributes: { SF_ContactId: '003XX0000004DcY' },
        contactHints: aContact({ email: 'a@example.com' }),
      }),
      T0,
      policy,
    );

    expect(sut.outcome).toBe('CHANGED');
    expect(sut.state.contact).toEqual(aContact({ contactId: '003XX0000004DcY', email: 'a@example.com' }));
  });

  it('keeps the newest sentiment score and ignores an older or equal one', () => {
    const state = aStateFrom([
      [aLifecycle('SENTIMENT', { eventId: 'ev-s2', sentimentScore: 0.4, occurredAt: T0 + 2_000 }), T0],
    ]);

    const older = applyRecord(
      state,
      aLifecycle('SENTIMENT', { sentimentScore: -0.2, occurredAt: T0 }),
      T0 + 1,
      policy,
    );
    const same = applyRecord(
      state,
      aLifecycle('SENTIMENT', { sentimentScore: 0.4, occurredAt: T0 + 9_000 }),
      T0 + 1,
      policy,
    );
    const newer = applyRecord(
      state,
      aLifecycle('SENTIMENT', { sentimentScore: 0.7, occurredAt: T0 + 9_000 }),
      T0 + 1,
      policy,
    );

    expect(older.state.sentiment).toEqual({ score: 0.4, eventId: 'ev-s2', occurredAt: T0 + 2_000 });
    expect(same.outcome).toBe('UNCHANGED');
    expect(newer.state.sentiment?.score).toBe(0.7);
  });

  it('records the first end and analytics-ready times, and treats analytics ready as an end', () => {
    const sut = aStateFrom([
      [anEntity(), T0],
      [aLifecycle('ANALYTICS_READY'), T0 + 10],
      [aLifecycle('CONVERSATION_ENDED'), T0 + 20],
      [aLifecycle('ANALYTICS_READY'), T0 + 30],
    ]);

    expect(sut.endedAt).toBe(T0 + 10);
    expect(sut.analyticsReadyAt).toBe(T0 + 10);
  });

  it('keeps the first known media type when a later record says UNKNOWN', () => {
    const sut = aStateFrom([
      [anEntity({ mediaType: 'CHAT' }), T0],
      [aLifecycle('SENTIMENT', { mediaType: 'UNKNOWN' }), T0 + 1],
    ]);

    expect(sut.mediaType).toBe('CHAT');
  });

  it('tracks activity in processing time and the newest conversation time', () => {
    const sut = aStateFrom([
      [anEntity({ occurredAt: T0 + 5_000 }), T0 + 6_000],
      [anEntity({ entityType: 'Email', value: 'a@example.com', occurredAt: T0 + 1_000 }), T0 + 7_000],
    ]);

    expect(sut.firstActivityAt).toBe(T0 + 6_000);
    expect(sut.lastActivityAt).toBe(T0 + 7_000);
    expect(sut.lastEventAt).toBe(T0 + 5_000);
  });

  it('bounds the remembered ids to the dedupe capacity', () => {
    const small = aPolicy({ dedupeCapacity: 5 });

    const sut = aStateFrom(
      Array.from({ length: 20 }, (_, n) => [anEntity({ occurredAt: T0 + n }), T0 + n] as const),
      small,
    );

    expect(sut.seenIds).toHaveLength(5);
  });

  it('refuses a record of another conversation', () => {
    const state = aStateFrom([[anEntity(), T0]]);

    expect(() => applyRecord(state, anEntity({ conversationId: 'other' }), T0, policy)).toThrow(/other/);
  });
});

describe(conversationIdOf.name, () => {
  it('reads the conversation id from either kind of payload', () => {
    expect(conversationIdOf(anEntity({ conversationId: 'c-e' }))).toBe('c-e');
    expect(conversationIdOf(aLifecycle('SENTIMENT', { conversationId: 'c-l' }))).toBe('c-l');
  });
});
