import { type EntityStreamRecord } from '@crm/contracts';

import { aContact, aLifecycle, anEntity, aPolicy, aStateFrom, T0 } from '../testing';
import { applyRecord } from './conversation.reducer';
import { type ConversationState } from './conversation.state';
import { decide, type FlushDecision } from './flush.policy';

const policy = aPolicy({
  debounceMs: 1_000,
  maxWaitMs: 5_000,
  endGraceMs: 60_000,
  voiceMaxWaitMs: 3_600_000,
});

/** Feeds records like the app would: apply, then decide at the same processing time. */
function run(
  steps: ReadonlyArray<readonly [EntityStreamRecord, number]>,
  start: ConversationState | null = null,
) {
  let state = start;
  const decisions: FlushDecision[] = [];
  for (const [record, now] of steps) {
    const decision = decide(applyRecord(state, record, now, policy).state, now, policy);
    decisions.push(decision);
    state = decision.state;
  }
  if (state === null) throw new Error('no records');
  return { state, decisions, updates: decisions.flatMap((d) => (d.update === null ? [] : [d.update])) };
}

const chat = (overrides: Parameters<typeof anEntity>[0] = {}) =>
  anEntity({ mediaType: 'CHAT', ...overrides });

describe(decide.name, () => {
  describe('voice', () => {
    it('waits while the call is live, with the safety-net deadline', () => {
      const { decisions } = run([[anEntity(), T0]]);

      expect(decisions[0]).toMatchObject({ update: null, trigger: null, nextDeadline: T0 + 3_600_000 });
    });

    it('flushes once on ANALYTICS_READY with the chosen values and contact', () => {
      const { updates, state } = run([
        [aLifecycle('CONTACT_ATTRIBUTES', { attributes: { SF_ContactId: '003X' }, occurredAt: T0 }), T0],
        [anEntity({ entityId: 'ent-o', value: '1234567890', occurredAt: T0 + 1_000 }), T0 + 1_000],
        [anEntity({ entityId: 'ent-o2', value: '1234567890', occurredAt: T0 + 9_000 }), T0 + 9_000],
        [
          anEntity({
            entityId: 'ent-e',
            entityType: 'Email',
            value: 'a@example.com',
            occurredAt: T0 + 2_000,
          }),
          T0 + 2_000,
        ],
        [
          aLifecycle('SENTIMENT', { eventId: 'ev-s', sentimentScore: 0.4, occurredAt: T0 + 20_000 }),
          T0 + 20_000,
        ],
        [aLifecycle('CONVERSATION_ENDED', { occurredAt: T0 + 30_000 }), T0 + 30_000],
        [aLifecycle('ANALYTICS_READY', { occurredAt: T0 + 45_000 }), T0 + 45_000],
      ]);

      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({
        conversationId: state.conversationId,
        contact: aContact({ contactId: '003X' }),
        crmObject: 'Contact',
        trigger: 'ANALYTICS_READY',
        mediaType: 'VOICE',
        conversationAt: T0 + 45_000,
        requestedAt: T0 + 45_000,
        replay: false,
        values: {
          OrderNumber: { value: '1234567890', entityId: 'ent-o', confidence: 0.95, occurredAt: T0 + 1_000 },
          Email: { value: 'a@example.com', entityId: 'ent-e', confidence: 0.95, occurredAt: T0 + 2_000 },
          sentiment: { value: '0.4', entityId: 'ev-s', confidence: 1, occurredAt: T0 + 20_000 },
        },
      });
      expect(state.flushedUpdateId).toBe(updates[0]?.updateId);
    });

    it('flushes after the grace period when analytics never come', () => {
      const ended = run([
        [anEntity(), T0],
        [aLifecycle('CONVERSATION_ENDED'), T0 + 10_000],
      ]);

      expect(ended.decisions[1]).toMatchObject({ update: null, nextDeadline: T0 + 70_000 });
      expect(decide(ended.state, T0 + 69_999, policy).update).toBeNull();
      expect(decide(ended.state, T0 + 70_000, policy)).toMatchObject({
        trigger: 'ENDED',
        nextDeadline: null,
        update: { trigger: 'ENDED' },
      });
    });

    it('sends nothing more when analytics arrive late with nothing new', () => {
      const ended = run([
        [anEntity(), T0],
        [aLifecycle('CONVERSATION_ENDED'), T0 + 10_000],
      ]);
      const flushed = decide(ended.state, T0 + 70_000, policy).state;

      const sut = run([[aLifecycle('ANALYTICS_READY'), T0 + 200_000]], flushed);

      expect(sut.updates).toHaveLength(0);
    });

    it('sends late analytics values after the grace flush in one more update', () => {
      const ended = run([
        [anEntity(), T0],
        [aLifecycle('CONVERSATION_ENDED'), T0 + 10_000],
      ]);
      const flushed = decide(ended.state, T0 + 70_000, policy).state;

      const sut = run(
        [
          [anEntity({ entityType: 'Email', value: 'a@example.com' }), T0 + 200_000],
          [anEntity({ entityType: 'CaseNumber', value: '00012345' }), T0 + 200_001],
          [aLifecycle('ANALYTICS_READY'), T0 + 200_002],
        ],
        flushed,
      );

      expect(sut.updates.map((u) => [u.trigger, Object.keys(u.values).sort()])).toEqual([
        ['ANALYTICS_READY', ['CaseNumber', 'Email', 'OrderNumber']],
      ]);
    });

    it('flushes at the safety-net deadline when neither end nor analytics arrive', () => {
      const open = run([[anEntity(), T0]]);

      expect(decide(open.state, T0 + 3_600_000, policy).update?.trigger).toBe('MAX_WAIT');
    });

    it('treats a callback like a call', () => {
      const { decisions } = run([[anEntity({ mediaType: 'CALLBACK' }), T0]]);

      expect(decisions[0]?.nextDeadline).toBe(T0 + 3_600_000);
    });
  });

  describe('digital', () => {
    it('flushes after the debounce window since the last entity', () => {
      const burst = run([
        [chat({ value: '1234567890' }), T0],
        [chat({ entityType: 'Email', value: 'a@example.com' }), T0 + 500],
      ]);

      expect(burst.decisions.map((d) => d.nextDeadline)).toEqual([T0 + 1_000, T0 + 1_500]);
      expect(decide(burst.state, T0 + 1_499, policy).update).toBeNull();
      const sut = decide(burst.state, T0 + 1_500, policy);
      expect(sut.trigger).toBe('DEBOUNCE');
      expect(Object.keys(sut.update?.values ?? {}).sort()).toEqual(['Email', 'OrderNumber']);
    });

    it('flushes at the maximum wait while the customer keeps typing', () => {
      const types = ['OrderNumber', 'Email', 'Phone', 'CaseNumber', 'AccountId', 'ProductRequest', 'Other'];
      const typing = run(
        types.map(
          (entityType, n) =>
            [chat({ entityType, value: `v${n}`, occurredAt: T0 + n * 900 }), T0 + n * 900] as const,
        ),
      );

      const flushes = typing.decisions.filter((d) => d.update !== null);
      expect(typing.decisions[5]?.nextDeadline).toBe(T0 + 5_000);
      expect(flushes).toHaveLength(1);
      expect(flushes[0]?.trigger).toBe('MAX_WAIT');
      expect(flushes[0]?.update?.requestedAt).toBe(T0 + 6 * 900);
    });

    it('flushes a pending change as soon as the conversation ends', () => {
      const sut = run([
        [chat(), T0],
        [aLifecycle('CONVERSATION_ENDED', { mediaType: 'CHAT' }), T0 + 200],
      ]);

      expect(sut.updates.map((u) => [u.trigger, u.requestedAt])).toEqual([['ENDED', T0 + 200]]);
    });

    it('never sends another update for repeated mentions', () => {
      const first = run([[chat({ value: '1234567890' }), T0]]);
      const flushed = decide(first.state, T0 + 1_000, policy);

      const sut = run(
        [1, 2, 3, 4, 5].map(
          (n) => [chat({ value: '1234567890', occurredAt: T0 + n * 10_000 }), T0 + n * 10_000] as const,
        ),
        flushed.state,
      );

      expect(flushed.update).not.toBeNull();
      expect(sut.decisions.every((d) => d.trigger === null && d.nextDeadline === null)).toBe(true);
    });

    it('sends a correction as a new update with a new id', () => {
      const first = run([[chat({ value: '1111111111' }), T0]]);
      const flushed = decide(first.state, T0 + 1_000, policy);
      const corrected = run(
        [[chat({ value: '2222222222', occurredAt: T0 + 20_000 }), T0 + 20_000]],
        flushed.state,
      );

      const sut = decide(corrected.state, T0 + 21_000, policy);

      expect(sut.update?.values['OrderNumber']?.value).toBe('2222222222');
      expect(sut.update?.updateId).not.toBe(flushed.update?.updateId);
    });

    it('holds an ambiguous type back until a later clear mention resolves it', () => {
      const ambiguous = run([
        [chat({ entityType: 'Email', value: 'a@example.com', occurredAt: T0 }), T0],
        [chat({ value: '1111111111', occurredAt: T0 }), T0],
        [chat({ value: '2222222222', occurredAt: T0 + 2_000 }), T0 + 2_000],
      ]);
      const held = decide(ambiguous.state, T0 + 3_000, policy);
      const resolved = run([[chat({ value: '2222222222', occurredAt: T0 + 9_000 }), T0 + 9_000]], held.state);
      const sut = decide(resolved.state, T0 + 10_000, policy);

      expect(held.heldBack).toEqual(['OrderNumber']);
      expect(Object.keys(held.update?.values ?? {})).toEqual(['Email']);
      expect(sut.heldBack).toEqual([]);
      expect(sut.update?.values['OrderNumber']?.value).toBe('2222222222');
    });
  });

  it('emits nothing for a change with no values, and clears the pending flag', () => {
    const contactOnly = aStateFrom([
      [aLifecycle('CONTACT_ATTRIBUTES', { mediaType: 'CHAT', attributes: { SF_ContactId: '003X' } }), T0],
    ]);

    const sut = decide(contactOnly, T0 + 1_000, policy);

    expect(sut).toMatchObject({ update: null, trigger: 'DEBOUNCE', suppressed: 'EMPTY', nextDeadline: null });
    expect(sut.state.pendingSince).toBeNull();
  });

  it('emits nothing for a value set unchanged since the last flush', () => {
    const first = run([[chat(), T0]]);
    const flushed = decide(first.state, T0 + 1_000, policy).state;

    const sut = decide({ ...flushed, pendingSince: T0 + 5_000, lastInputAt: T0 + 5_000 }, T0 + 6_000, policy);

    expect(sut).toMatchObject({ update: null, trigger: 'DEBOUNCE', suppressed: 'UNCHANGED' });
  });

  it('emits nothing for a conversation that ends without any value', () => {
    const sut = run([
      [aLifecycle('CONVERSATION_ENDED'), T0],
      [aLifecycle('ANALYTICS_READY'), T0 + 1],
    ]);

    expect(sut.decisions.map((d) => [d.update, d.trigger])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('sends a new update when the contact is resolved after a flush', () => {
    const first = run([[chat(), T0]]);
    const flushed = decide(first.state, T0 + 1_000, policy);
    const resolved = run(
      [
        [
          aLifecycle('CONTACT_ATTRIBUTES', { mediaType: 'CHAT', attributes: { SF_ContactId: '003X' } }),
          T0 + 2_000,
        ],
      ],
      flushed.state,
    );

    const sut = decide(resolved.state, T0 + 3_000, policy);

    expect(sut.update?.contact.contactId).toBe('003X');
    expect(sut.update?.updateId).not.toBe(flushed.update?.updateId);
  });

  it('yields the same updateId when the same input is replayed into fresh state', () => {
    const records = [
      anEntity({ entityId: 'ent-1' }),
      anEntity({ entityId: 'ent-2', entityType: 'Email', value: 'a@example.com' }),
      aLifecycle('ANALYTICS_READY', { eventId: 'ev-ar' }),
    ];
    const steps = (start: number) => records.map((r, n) => [r, start + n] as const);

    const original = run(steps(T0)).updates[0];
    const replayed = run(steps(T0 + 86_400_000)).updates[0];

    expect(replayed?.updateId).toBeDefined();
    expect(replayed?.updateId).toBe(original?.updateId);
  });
});
