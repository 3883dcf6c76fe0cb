import { FakeCrmServer } from '../../testing';
import { createCrmClient, type CrmClient } from '../crm-client.factory';
import { CrmPreconditionFailedError, CrmRecordNotFoundError, CrmValidationError } from '../errors/crm.error';
import { parseFieldMapping } from '../mapping/field-mapping.schema';
import { DynamicsAdapter, rowPath } from './dynamics.adapter';

const mapping = parseFieldMapping({
  version: 't',
  salesforce: { object: 'Contact', lookup: { email: 'Email', phone: 'Phone' }, fields: {} },
  dynamics: { object: 'contacts', lookup: { email: 'emailaddress1', phone: 'telephone1' }, fields: {} },
});
const ID = '8c0b3f5e-1d2a-4b6c-9e8f-0a1b2c3d4e5f';
const OTHER = '9d1c4a6f-2e3b-4c7d-8f9a-1b2c3d4e5f6a';
const ref = { object: 'contacts', id: ID };

describe(DynamicsAdapter.name, () => {
  const fake = new FakeCrmServer();
  let client: CrmClient;
  let sut: DynamicsAdapter;

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.state.records.clear();
    fake.state.log.length = 0;
    fake.state.faults = {};
    fake.state.put('contacts', ID, { emailaddress1: 'ann@example.com', crm_ordernumber: null });
    client = createCrmClient({
      provider: 'dynamics',
      baseUrl: fake.url,
      tokenUrl: `${fake.url}/tenant/oauth2/v2.0/token`,
      clientId: 'id',
      clientSecret: 'secret',
      rateLimit: { ratePerSecond: 1_000, burst: 100, maxConcurrent: 20 },
      mapping: mapping.dynamics,
    });
    sut = client.adapter as DynamicsAdapter;
  });
  afterEach(() => client.breaker.shutdown());

  it('reads with $select and keeps the row ETag as the version', async () => {
    const result = await sut.read(ref, ['emailaddress1', 'crm_ordernumber']);
    expect(result.values).toEqual({ emailaddress1: 'ann@example.com', crm_ordernumber: null });
    expect(result.version).toMatch(/^W\/"\d+"$/);
    expect(fake.state.log.at(-1)?.path).toBe(
      `/api/data/v9.2/contacts(${ID})?$select=emailaddress1,crm_ordernumber`,
    );
  });

  it('PATCHes with If-Match so a missing row is a 404, never an upsert', async () => {
    await expect(
      sut.update({ object: 'contacts', id: OTHER }, { crm_ordernumber: '1' }),
    ).rejects.toBeInstanceOf(CrmRecordNotFoundError);
    expect(fake.state.get('contacts', OTHER)).toBeUndefined();
  });

  it('sends the ETag read so a concurrent edit fails with 412', async () => {
    const { version } = await sut.read(ref, ['emailaddress1']);
    await sut.update(ref, { crm_ordernumber: '1' }, { version: version! });
    await expect(sut.update(ref, { crm_ordernumber: '2' }, { version: version! })).rejects.toBeInstanceOf(
      CrmPreconditionFailedError,
    );
    expect(fake.state.get('contacts', ID)?.fields['crm_ordernumber']).toBe('1');
  });

  it('addresses a row by alternate key', async () => {
    await sut.update({ object: 'contacts', id: "emailaddress1='ann@example.com'" }, { crm_ordernumber: '7' });
    expect(fake.state.get('contacts', ID)?.fields['crm_ordernumber']).toBe('7');
    expect(rowPath({ object: 'contacts', id: "emailaddress1='a+b@c.d'" })).toBe(
      "contacts(emailaddress1='a%2Bb%40c.d')",
    );
  });

  it('looks a contact up with $filter', async () => {
    expect(await sut.lookupContact({ email: 'ann@example.com' })).toEqual({ status: 'found', id: ID });
    expect(await sut.lookupContact({ email: 'x@example.com', phone: '+1' })).toEqual({ status: 'not-found' });
  });

  it('updates many rows in one $batch that continues past a failing row', async () => {
    fake.state.put('contacts', OTHER, {});
    fake.state.faults.validation = { [OTHER]: { code: '0x80044331', fields: [] } };
    const results = await sut.updateMany([
      { ref: { object: 'contacts', id: OTHER }, fields: { crm_ordernumber: 'x'.repeat(20) } },
      { ref, fields: { crm_ordernumber: '5' } },
    ]);
    expect(results[0]?.ok === false && results[0].error).toBeInstanceOf(CrmValidationError);
    expect(results[1]).toEqual({ ok: true, ref });
    expect(fake.state.get('contacts', ID)?.fields['crm_ordernumber']).toBe('5');
    expect(fake.state.count('POST', '/$batch')).toBe(1);
  });

  it('makes each $batch part conditional on its own ETag, so a concurrent edit fails that row alone', async () => {
    fake.state.put('contacts', OTHER, {});
    const mine = await sut.read(ref, ['crm_ordernumber']);
    const theirs = await sut.read({ object: 'contacts', id: OTHER }, ['crm_ordernumber']);
    fake.state.write('contacts', OTHER, { crm_ordernumber: 'agent edit' });
    const results = await sut.updateMany([
      { ref, fields: { crm_ordernumber: '5' }, condition: { version: mine.version! } },
      {
        ref: { object: 'contacts', id: OTHER },
        fields: { crm_ordernumber: '6' },
        condition: { version: theirs.version! },
      },
    ]);
    expect(results[0]).toEqual({ ok: true, ref });
    expect(results[1]?.ok === false && results[1].error).toBeInstanceOf(CrmPreconditionFailedError);
    expect(fake.state.get('contacts', OTHER)?.fields['crm_ordernumber']).toBe('agent edit');
  });

  it('refreshes the Entra token after a 401 and replays', async () => {
    await sut.read(ref, ['emailaddress1']);
    fake.state.expireTokens();
    await sut.read(ref, ['emailaddress1']);
    expect(fake.state.count('POST', '/oauth2/v2.0/token')).toBe(2);
  });
});
