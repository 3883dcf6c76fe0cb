import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { type ContactUpdateRequested } from '@crm/contracts';
import { type CrmClient, createCrmClient, parseFieldMapping } from '@crm/crm';
import { FakeCrmServer } from '@crm/crm/testing';
import { WriteStateStore } from '../state/write-state.store';
import { type ApplyContactUpdateCommand, ApplyContactUpdateUseCase } from './apply-contact-update.usecase';
import { ApplyContactUpdatesUseCase } from './apply-contact-updates.usecase';

const mapping = parseFieldMapping(
  JSON.parse(readFileSync(join(__dirname, '../../../../config/field-mapping.json'), 'utf8')),
).salesforce;
const T0 = 1_764_500_000_000;
const idOf = (n: number) => `003${String(n).padStart(12, '0')}AAA`;

function aCommand(
  n: number,
  order: string,
  overrides: Partial<ContactUpdateRequested> = {},
): ApplyContactUpdateCommand {
  const request: ContactUpdateRequested = {
    updateId: `upd-${n}-${order}`,
    conversationId: `conv-${n}-${order}`,
    contact: { contactId: idOf(n), externalContactId: null, email: null, phone: null },
    crmObject: 'Contact',
    values: { OrderNumber: { value: order, entityId: 'e', confidence: 0.95, occurredAt: T0 } },
    trigger: 'ENDED',
    mediaType: 'VOICE',
    conversationAt: T0,
    requestedAt: T0,
    replay: false,
    ...overrides,
  };
  return { request, recordKey: `salesforce:Contact:${idOf(n)}`, ref: { object: 'Contact', id: idOf(n) } };
}

describe(ApplyContactUpdatesUseCase.name, () => {
  const fake = new FakeCrmServer();
  const retry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
  let client: CrmClient;
  let store: WriteStateStore;
  let clock: number;
  let sut: ApplyContactUpdatesUseCase;

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.state.records.clear();
    fake.state.log.length = 0;
    fake.state.faults = {};
    for (let n = 1; n <= 5; n += 1) fake.state.put('Contact', idOf(n), { Order_Number__c: null });
    client = createCrmClient({
      provider: 'salesforce',
      baseUrl: fake.url,
      tokenUrl: `${fake.url}/services/oauth2/token`,
      clientId: 'id',
      clientSecret: 'secret',
      rateLimit: { ratePerSecond: 1_000, burst: 100, maxConcurrent: 20 },
      mapping,
    });
    store = new WriteStateStore();
    clock = T0;
    const now = () => clock;
    const single = new ApplyContactUpdateUseCase(client.adapter, mapping, store, retry, now);
    sut = new ApplyContactUpdatesUseCase(
      client.adapter,
      mapping,
      store,
      single,
      retry,
      { batchSize: 50, maxUnconditionalAgeMs: 1_000 },
      now,
    );
  });
  afterEach(() => client.breaker.shutdown());

  const apiCalls = () => fake.state.log.filter((entry) => !entry.path.includes('/oauth2/'));

  it('applies many records with one query and one collection PATCH', async () => {
    const results = await sut.execute([1, 2, 3, 4, 5].map((n) => aCommand(n, `00${n}`)));
    expect(results.map((r) => r.ok && r.value.outcome)).toEqual(Array(5).fill('APPLIED'));
    expect(apiCalls().map((entry) => entry.method)).toEqual(['GET', 'PATCH']);
    expect(fake.state.count('PATCH', '/composite/sobjects')).toBe(1);
    expect(fake.state.get('Contact', idOf(3))?.fields['Order_Number__c']).toBe('003');
  });

  it('fails only the invalid record of a batch and applies the others', async () => {
    fake.state.faults.validation = { [idOf(2)]: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: [] } };
    const results = await sut.execute([1, 2, 3].map((n) => aCommand(n, `00${n}`)));
    expect(results[0]).toMatchObject({ ok: true, value: { outcome: 'APPLIED' } });
    expect(results[1]).toMatchObject({ ok: false, error: { reason: 'CRM_VALIDATION', retriable: false } });
    expect(results[2]).toMatchObject({ ok: true, value: { outcome: 'APPLIED' } });
    expect(fake.state.get('Contact', idOf(2))?.fields['Order_Number__c']).toBeNull();
  });

  it('retries a record that failed retriably inside the batch on its own until it applies', async () => {
    fake.state.faults.locked = { [idOf(2)]: 1 };
    const results = await sut.execute([1, 2].map((n) => aCommand(n, `00${n}`)));
    expect(results.map((r) => r.ok && r.value.outcome)).toEqual(['APPLIED', 'APPLIED']);
    expect(fake.state.count('PATCH', `/sobjects/Contact/${idOf(2)}`)).toBe(1);
  });

  it('applies two updates of one record in order, the second seeing the first', async () => {
    const results = await sut.execute([
      aCommand(1, '001'),
      aCommand(2, '002'),
      aCommand(1, '009', { conversationAt: T0 + 1 }),
    ]);
    expect(results.map((r) => r.ok && r.value.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    expect(fake.state.get('Contact', idOf(1))?.fields['Order_Number__c']).toBe('009');
  });

  it('writes conditionally one by one when the batched read is older than the unconditional window', async () => {
    const slow = new ApplyContactUpdatesUseCase(
      client.adapter,
      mapping,
      store,
      new ApplyContactUpdateUseCase(client.adapter, mapping, store, retry),
      retry,
      { batchSize: 50, maxUnconditionalAgeMs: 1_000 },
      () => (clock += 1_500),
    );
    const results = await slow.execute([1, 2].map((n) => aCommand(n, `00${n}`)));
    expect(results.map((r) => r.ok && r.value.outcome)).toEqual(['APPLIED', 'APPLIED']);
    expect(fake.state.count('PATCH', '/composite/sobjects')).toBe(0);
    expect(fake.state.count('PATCH', `/sobjects/Contact/${idOf(1)}`)).toBe(1);
    expect(fake.state.count('PATCH', `/sobjects/Contact/${idOf(2)}`)).toBe(1);
  });

  it('settles a redelivered update it already applied without calling the CRM', async () => {
    const commands = [1, 2].map((n) => aCommand(n, `00${n}`));
    await sut.execute(commands);
    fake.state.log.length = 0;
    const again = await sut.execute(commands);
    expect(again.map((r) => r.ok && r.value.outcome)).toEqual(['NO_CHANGE', 'NO_CHANGE']);
    expect(apiCalls()).toEqual([]);
  });

  it('answers NO_CHANGE without a PATCH when every record already holds the values', async () => {
    fake.state.put('Contact', idOf(1), { Order_Number__c: '001' });
    fake.state.put('Contact', idOf(2), { Order_Number__c: '002' });
    const results = await sut.execute([1, 2].map((n) => aCommand(n, `00${n}`)));
    expect(results.map((r) => r.ok && r.value.outcome)).toEqual(['NO_CHANGE', 'NO_CHANGE']);
    expect(fake.state.count('PATCH', '/')).toBe(0);
  });
});
