import { useSimulator } from '../testing/simulator.fixture';
import {
  ADA_DV,
  bearer,
  DV_API,
  DV_CLIENT,
  dynamicsToken,
  form,
  patchJson,
  putFaults,
} from '../testing/wire';

describe('Dynamics 365 wire behaviour', () => {
  const sut = useSimulator();
  let token: string;
  const contactUrl = (key = ADA_DV) => `${sut.url}${DV_API}/contacts(${key})`;

  beforeEach(async () => {
    token = await dynamicsToken(sut.url);
  });

  describe('token endpoint', () => {
    it('issues a client-credentials token with expires_in and no refresh token', async () => {
      const response = await fetch(
        `${sut.url}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
        form({
          grant_type: 'client_credentials',
          client_id: DV_CLIENT.id,
          client_secret: DV_CLIENT.secret,
          scope: 'https://org.crm.dynamics.com/.default',
        }),
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: expect.any(String) as unknown,
      });
    });

    it('answers a bad scope with 400 invalid_scope AADSTS70011 and a bad secret with 401 invalid_client', async () => {
      const scope = await fetch(
        `${sut.url}/t/oauth2/v2.0/token`,
        form({
          grant_type: 'client_credentials',
          client_id: DV_CLIENT.id,
          client_secret: DV_CLIENT.secret,
          scope: 'https://org.crm.dynamics.com',
        }),
      );
      const secret = await fetch(
        `${sut.url}/t/oauth2/v2.0/token`,
        form({
          grant_type: 'client_credentials',
          client_id: DV_CLIENT.id,
          client_secret: 'nope',
          scope: 'x/.default',
        }),
      );
      const scopeBody = (await scope.json()) as {
        error: string;
        error_description: string;
        error_codes: number[];
      };

      expect(scope.status).toBe(400);
      expect(scopeBody.error).toBe('invalid_scope');
      expect(scopeBody.error_description).toMatch(/^AADSTS70011: /);
      expect(scopeBody.error_codes).toEqual([70011]);
      expect(secret.status).toBe(401);
      expect(((await secret.json()) as { error: string }).error).toBe('invalid_client');
    });
  });

  describe('contacts', () => {
    it('reads selected columns with @odata.etag', async () => {
      const response = await fetch(`${contactUrl()}?$select=firstname,emailaddress1`, {
        headers: bearer(token),
      });
      const body = (await response.json()) as Record<string, unknown>;

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
      expect(response.headers.get('odata-version')).toBe('4.0');
      expect(body).toMatchObject({
        '@odata.etag': 'W/"1"',
        contactid: ADA_DV,
        firstname: 'Ada',
        emailaddress1: 'ada@example.com',
      });
      expect(body['@odata.context']).toBe(
        `${sut.url}${DV_API}/$metadata#contacts(firstname,emailaddress1)/$entity`,
      );
    });

    it('PATCHes with If-Match * → 204, and a missing row with If-Match * → 404 without creating it', async () => {
      const updated = await fetch(
        contactUrl(),
        patchJson(token, { jobtitle: 'Countess' }, { 'if-match': '*' }),
      );
      const missingId = '00000000-0000-0000-0000-0000000000ff';
      const missing = await fetch(
        contactUrl(missingId),
        patchJson(token, { jobtitle: 'x' }, { 'if-match': '*' }),
      );
      const stillMissing = await fetch(`${sut.url}/__admin/contacts/dynamics/${missingId}`);

      expect(updated.status).toBe(204);
      expect(updated.headers.get('odata-entityid')).toBe(contactUrl());
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        error: { code: '0x80040217', message: `contact With Id = ${missingId} Does Not Exist` },
      });
      expect(stillMissing.status).toBe(404);
    });

    it('answers a stale ETag with 412 and accepts the current one', async () => {
      const read = (await (await fetch(contactUrl(), { headers: bearer(token) })).json()) as {
        '@odata.etag': string;
      };
      await fetch(contactUrl(), patchJson(token, { jobtitle: 'changed by an agent' }, { 'if-match': '*' }));
      const stale = await fetch(
        contactUrl(),
        patchJson(token, { jobtitle: 'pipeline' }, { 'if-match': read['@odata.etag'] }),
      );
      const current = (await (await fetch(contactUrl(), { headers: bearer(token) })).json()) as {
        '@odata.etag': string;
      };
      const fresh = await fetch(
        contactUrl(),
        patchJson(token, { jobtitle: 'pipeline' }, { 'if-match': current['@odata.etag'] }),
      );

      expect(stale.status).toBe(412);
      expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('0x80060882');
      expect(fresh.status).toBe(204);
    });

    it('upserts without If-Match: a PATCH to a missing id creates the row', async () => {
      const id = '00000000-0000-0000-0000-0000000000aa';
      const response = await fetch(contactUrl(id), patchJson(token, { lastname: 'Created' }));
      const read = await fetch(contactUrl(id), { headers: bearer(token) });

      expect(response.status).toBe(204);
      expect(((await read.json()) as { lastname: string }).lastname).toBe('Created');
    });

    it('addresses a contact by the emailaddress1 alternate key and refuses an undefined key', async () => {
      const byKey = await fetch(
        contactUrl("emailaddress1='ada@example.com'"),
        patchJson(token, { jobtitle: 'Countess' }, { 'if-match': '*' }),
      );
      const undefinedKey = await fetch(contactUrl("lastname='Lovelace'"), { headers: bearer(token) });
      const ada = (await (await fetch(contactUrl(), { headers: bearer(token) })).json()) as {
        jobtitle: string;
      };

      expect(byKey.status).toBe(204);
      expect(ada.jobtitle).toBe('Countess');
      expect(undefinedKey.status).toBe(400);
    });

    it('finds contacts with $filter and answers an unknown column with 400', async () => {
      const found = await fetch(
        `${sut.url}${DV_API}/contacts?$filter=${encodeURIComponent("emailaddress1 eq 'grace@example.com'")}&$select=contactid`,
        { headers: bearer(token) },
      );
      const unknown = await fetch(
        `${sut.url}${DV_API}/contacts?$filter=${encodeURIComponent("email eq 'a'")}`,
        { headers: bearer(token) },
      );

      expect(((await found.json()) as { value: unknown[] }).value).toEqual([
        { '@odata.etag': 'W/"1"', contactid: '00000000-0000-0000-0000-000000000003' },
      ]);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('0x80060888');
    });

    it('answers an unknown property in a PATCH body with 400 and the OData error body', async () => {
      const response = await fetch(contactUrl(), patchJson(token, { Email: 'x' }, { 'if-match': '*' }));

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          code: '0x80060888',
          message: "Invalid property 'Email' was found in entity 'Microsoft.Dynamics.CRM.contact'.",
        },
      });
    });

    it('returns the entity with Prefer: return=representation', async () => {
      const response = await fetch(
        `${contactUrl()}?$select=jobtitle`,
        patchJson(token, { jobtitle: 'Countess' }, { 'if-match': '*', prefer: 'return=representation' }),
      );

      expect(response.status).toBe(200);
      expect(response.headers.get('preference-applied')).toBe('return=representation');
      expect(await response.json()).toMatchObject({ jobtitle: 'Countess', '@odata.etag': 'W/"2"' });
    });
  });

  describe('faults', () => {
    it('answers a 429 burst with Retry-After and the service-protection error body', async () => {
      await putFaults(sut.url, {
        bursts: [{ provider: 'dynamics', status: 429, count: 1, retryAfterSeconds: 4 }],
      });
      const throttled = await fetch(contactUrl(), { headers: bearer(token) });
      const next = await fetch(contactUrl(), { headers: bearer(token) });

      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('4');
      expect(await throttled.json()).toEqual({
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
        },
      });
      expect(next.status).toBe(200);
    });

    it('answers an expired token with 401 and WWW-Authenticate: Bearer', async () => {
      await fetch(`${sut.url}/__admin/tokens/expire`, { method: 'POST' });
      const response = await fetch(contactUrl(), { headers: bearer(token) });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });
  });
});
