import { createHash } from 'node:crypto';

import { MESSAGE_SCHEMAS, type AggregatorState } from '@crm/contracts';
import avro from 'avsc';

import { aLifecycle, anEntity, aPolicy, aStateFrom, aContact, T0 } from '../testing';
import { type ConversationState } from './conversation.state';
import { decide } from './flush.policy';
import { fromStateRecord, toStateRecord } from './state.record';

const stateType = avro.Type.forSchema(MESSAGE_SCHEMAS['aggregator-state'].value as unknown as avro.Schema);
const ENTITY_TYPES = ['OrderNumber', 'AccountId', 'CaseNumber', 'Email', 'Phone', 'ProductRequest'];
const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** A busy voice call: 6 entity types, 48 mentions (ids as long as real hashes), contact, sentiment, ended and flushed. */
function aTypicalState(): ConversationState {
  const policy = aPolicy();
  const steps = [
    [
      aLifecycle('CONTACT_ATTRIBUTES', {
        eventId: hex('attrs'),
        attributes: { SF_ContactId: '003XX0000004DcYAAU' },
        contactHints: aContact({ email: 'jane.doe@example.com', phone: '+14155550132' }),
      }),
      T0,
    ] as const,
    ...ENTITY_TYPES.flatMap((entityType, t) =>
      Array.from({ length: 8 }, (_, n) => {
        const at = T0 + t * 60_000 + n * 1_000;
        return [
          anEntity({
            entityId: hex(`${entityType}-${n}`),
            entityType,
            value: `${entityType}-value-${n % 2 === 0 ? 'a' : 'b'}@x`,
            occurredAt: at,
          }),
          at,
        ] as const;
      }),
    ),
    [
      aLifecycle('SENTIMENT', { eventId: hex('sentiment'), sentimentScore: -0.35, occurredAt: T0 + 400_000 }),
      T0 + 400_000,
    ] as const,
    [
      aLifecycle('CONVERSATION_ENDED', { eventId: hex('ended'), occurredAt: T0 + 410_000 }),
      T0 + 410_000,
    ] as const,
  ];
  const state = aStateFrom(steps, policy);
  return decide(state, T0 + 410_000 + policy.endGraceMs, policy).state;
}

describe(toStateRecord.name, () => {
  it('produces a record the aggregator-state schema accepts', () => {
    const sut = toStateRecord(aTypicalState());

    expect(
      stateType.isValid(sut, {
        errorHook: (path) => {
          throw new Error(`invalid at ${path.join('.')}`);
        },
      }),
    ).toBe(true);
  });

  it('round-trips through Avro bytes to an equal state', () => {
    const state = aTypicalState();

    const sut = fromStateRecord(
      stateType.fromBuffer(stateType.toBuffer(toStateRecord(state))) as AggregatorState,
    );

    expect(sut).toEqual(state);
  });

  it('keeps a typical conversation (6 entity types, 50 dedupe ids) under 4 KiB', () => {
    const state = aTypicalState();

    const sut = stateType.toBuffer(toStateRecord(state)).length;

    expect(state.seenIds).toHaveLength(51);
    expect(Object.keys(state.slots)).toHaveLength(6);
    expect(sut).toBeLessThan(4_096);
  });

  it('copies, so a serialised record never aliases live state', () => {
    const state = aTypicalState();

    const sut = toStateRecord(state);
    sut.seenIds.push(1);
    sut.contact.contactId = 'changed';

    expect(state.seenIds).toHaveLength(51);
    expect(state.contact.contactId).toBe('003XX0000004DcYAAU');
  });
});

describe(fromStateRecord.name, () => {
  it('restores a state that goes on deciding as before', () => {
    const state = aStateFrom([[anEntity({ mediaType: 'CHAT' }), T0]]);
    const policy = aPolicy();

    const sut = fromStateRecord(toStateRecord(state));

    expect(decide(sut, T0 + 1_000, policy).update?.updateId).toBe(
      decide(state, T0 + 1_000, policy).update?.updateId,
    );
  });
});
