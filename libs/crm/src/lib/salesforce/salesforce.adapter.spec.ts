import { FakeCrmServer } from '../../testing';
import { createCrmClient, type CrmClient } from '../crm-client.factory';
import {
  CrmAuthError,
  CrmBreakerOpenError,
  CrmPreconditionFailedError,
  CrmRateLimitedError,
  CrmRecordNotFoundError,
  CrmValidationError,
} from '../errors/crm.error';
import { parseFieldMapping } from '../mapping/field-mapping.schema';
import { SalesforceAdapter } from './salesforce.adapter';

const mapping = parseFieldMapping({
  version: 't',
  salesforce: { object: 'Contact', lookup: { email: 'Email', phone: 'Phone' }, fields: {} },
  dynamics: { object: 'contacts', lookup: { email: 'emailaddress1', phone: 'telephone1' }, fields: {} },
});
const ID = '003000000000001AAA';
const ref = { object: 'Contact', id: ID };

describe(SalesforceAdapter.name, () => {
  const fake = new FakeCrmServer();
  let client: CrmClient;
  let sut: SalesforceAdapter;
  const refreshes: string[] = [];

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.state.records.clear();
    fake.state.log.length = 0;
    fake.state.faults = {};
    fake.state.apiUsage = 0;
    refreshes.length = 0;
    fake.state.put('Contact', ID, { Email: 'ann@example.com', Order_Number__c: null, Phone: '+14155550132' });
    client = createCrmClient({
      provider: 'salesforce',
      baseUrl: fake.url,
      tokenUrl: `${fake.url}/services/oauth2/token`,
      clientId: 'id',
      clientSecret: 'secret',
      apiVersion: '62.0',
      rateLimit: { ratePerSecond: 1_000, burst: 100, maxConcurrent: 20 },
      breaker: { volumeThreshold: 3, resetTimeoutMs: 60_000 },
      mapping: mapping.salesforce,
      observer: {
        request: () => undefined,
        rateLimited: () => undefined,
        tokenRefresh: (_p, outcome) => refreshes.push(outcome),
      },
    });
    sut = client.adapter as SalesforceAdapter;
  });
  afterEach(() => client.breaker.shutdown());

  it('reads selected fields with GET ?fields= and returns LastModifiedDate as the version', async () => {
    const result = await sut.read(ref, ['Email', 'Order_Number__c']);
    expect(result.values).toEqual({ Email: 'ann@example.com', Order_Number__c: null });
    expect(result.version).toMatch(/^\d{4}-\d{2}-\d{2}T.*\+0000$/);
    expect(fake.state.log.at(-1)?.path).toBe(
      `/services/data/v62.0/sobjects/Contact/${ID}?fields=Email,Order_Number__c,LastModifiedDate`,
    );
  });

  it('updates with PATCH only the given fields, conditional on the version read', async () => {
    const { version } = await sut.read(ref, ['Email']);
    await sut.update(ref, { Order_Number__c: '0012345678' }, { version: version! });
    expect(fake.state.count('PATCH', `/sobjects/Contact/${ID}`)).toBe(1);
    expect(fake.state.count('PUT', '/')).toBe(0);
    expect(fake.state.get('Contact', ID)?.fields).toEqual({
      Email: 'ann@example.com',
      Order_Number__c: '0012345678',
      Phone: '+14155550132',
    });
  });

  it('detects an edit made after the read as a precondition failure', async () => {
    const { version } = await sut.read(ref, ['Email']);
    fake.state.get('Contact', ID)!.lastModified = Date.now() + 5_000;
    await expect(sut.update(ref, { Email: 'b@example.com' }, { version: version! })).rejects.toBeInstanceOf(
      CrmPreconditionFailedError,
    );
  });

  it('finds a contact by email, then by phone, with SOQL', async () => {
    expect(await sut.lookupContact({ email: 'nobody@example.com', phone: '+14155550132' })).toEqual({
      status: 'found',
      id: ID,
    });
    expect(fake.state.count('GET', '/services/data/v62.0/query?q=SELECT')).toBe(2);
    fake.state.put('Contact', '003000000000002AAA', { Email: 'ann@example.com' });
    expect(await sut.lookupContact({ email: 'ann@example.com' })).toEqual({ status: 'ambiguous', count: 2 });
    expect(await sut.lookupContact({ email: "o'brien@example.com" })).toEqual({ status: 'not-found' });
  });

  it('reads many records with one SOQL query, leaving out those the CRM does not return', async () => {
    const other = '003000000000002AAA';
    fake.state.put('Contact', other, { Order_Number__c: '42' });
    fake.state.log.length = 0;
    const reads = await sut.readMany('Contact', [ID, other, '003000000000404AAA'], ['Order_Number__c']);
    expect([...reads.keys()].sort()).toEqual([ID, other]);
    expect(reads.get(other)?.values).toEqual({ Order_Number__c: '42' });
    expect(reads.get(other)?.version).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const apiCalls = fake.state.log.filter((entry) => !entry.path.includes('/oauth2/'));
    expect(apiCalls.map((entry) => `${entry.method} ${decodeURIComponent(entry.path)}`)).toEqual([
      `GET /services/data/v62.0/query?q=SELECT Id, Order_Number__c, LastModifiedDate FROM Contact WHERE Id = '${ID}' OR Id = '${other}' OR Id = '003000000000404AAA'`,
    ]);
  });

  it('updates many records with sObject Collections and reports each failure on its own', async () => {
    const other = '003000000000002AAA';
    fake.state.put('Contact', other, {});
    fake.state.faults.validation = { [other]: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: [] } };
    const results = await sut.updateMany([
      { ref, fields: { Order_Number__c: '1' } },
      { ref: { object: 'Contact', id: other }, fields: { Order_Number__c: '2' } },
    ]);
    expect(results[0]).toEqual({ ok: true, ref });
    expect(results[1]?.ok).toBe(false);
    expect(results[1]?.ok === false && results[1].error).toBeInstanceOf(CrmValidationError);
    expect(fake.state.get('Contact', ID)?.fields['Order_Number__c']).toBe('1');
    expect(fake.state.count('PATCH', '/composite/sobjects')).toBe(1);
  });

  it('raises typed errors for deleted records and validation failures', async () => {
    fake.state.put('Contact', ID, {}, { deleted: true });
    await expect(sut.update(ref, { Email: 'x' })).rejects.toBeInstanceOf(CrmRecordNotFoundError);
    fake.state.put('Contact', ID, {});
    fake.state.faults.validation = { [ID]: { code: 'STRING_TOO_LONG', fields: ['Email'] } };
    await expect(sut.update(ref, { Email: 'x' })).rejects.toBeInstanceOf(CrmValidationError);
  });

  it('refreshes an expired session once and replays the request', async () => {
    await sut.read(ref, ['Email']);
    fake.state.expireTokens();
    await expect(sut.read(ref, ['Email'])).resolves.toBeDefined();
    expect(refreshes).toEqual(['success', 'success']);
    expect(fake.state.log.filter((e) => e.status === 401)).toHaveLength(1);
  });

  it('shares one refresh between concurrent requests that all hit the expiry', async () => {
    await sut.read(ref, ['Email']);
    fake.state.expireTokens();
    await Promise.all(Array.from({ length: 10 }, () => sut.read(ref, ['Email'])));
    expect(fake.state.count('POST', '/services/oauth2/token')).toBe(2);
  });

  it('fails with CrmAuthError and opens the breaker when credentials were rotated, without looping', async () => {
    await sut.read(ref, ['Email']);
    fake.state.expireTokens();
    fake.state.faults.tokenError = 'invalid_grant';
    await expect(sut.read(ref, ['Email'])).rejects.toBeInstanceOf(CrmAuthError);
    expect(fake.state.count('POST', '/services/oauth2/token')).toBe(2);
    expect(client.breaker.state).toBe('open');
    await expect(sut.read(ref, ['Email'])).rejects.toBeInstanceOf(CrmBreakerOpenError);
  });

  it('pauses the limiter for the Retry-After of a 429', async () => {
    fake.state.faults.burst = { status: 429, remaining: 1, retryAfterSeconds: 3 };
    const before = Date.now();
    await expect(sut.read(ref, ['Email'])).rejects.toBeInstanceOf(CrmRateLimitedError);
    expect(client.limiter.snapshot().pausedUntil).toBeGreaterThanOrEqual(before + 3_000);
  });

  it('treats 403 REQUEST_LIMIT_EXCEEDED as rate limiting and adapts to Sforce-Limit-Info', async () => {
    const fresh = createCrmClient({
      provider: 'salesforce',
      baseUrl: fake.url,
      tokenUrl: `${fake.url}/services/oauth2/token`,
      clientId: 'id',
      clientSecret: 'secret',
      rateLimit: {
        ratePerSecond: 100,
        burst: 100,
        maxConcurrent: 5,
        slowdownFromFraction: 0.5,
        slowdownFloor: 0.1,
      },
      mapping: mapping.salesforce,
    });
    fake.state.faults.dailyLimit = 4;
    await fresh.adapter.read(ref, ['Email']);
    await fresh.adapter.read(ref, ['Email']);
    await fresh.adapter.read(ref, ['Email']);
    expect(fresh.limiter.snapshot().usageFactor).toBeLessThan(1);
    await fresh.adapter.read(ref, ['Email']);
    await expect(fresh.adapter.read(ref, ['Email'])).rejects.toBeInstanceOf(CrmRateLimitedError);
    fresh.breaker.shutdown();
  });
});
