import { waitFor } from '@crm/testing';
import { useSimulator } from '../testing/simulator.fixture';
import {
  ADA_SF,
  bearer,
  form,
  jwt,
  patchJson,
  putFaults,
  SF_API,
  SF_CLIENT,
  salesforceToken,
} from '../testing/wire';

describe('Salesforce wire behaviour', () => {
  const sut = useSimulator();
  let token: string;
  const contactUrl = (id = ADA_SF) => `${sut.url}${SF_API}/sobjects/Contact/${id}`;

  beforeEach(async () => {
    token = await salesforceToken(sut.url);
  });

  describe('token endpoint', () => {
    it('issues a client-credentials token without expires_in', async () => {
      const response = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({ grant_type: 'client_credentials', client_id: SF_CLIENT.id, client_secret: SF_CLIENT.secret }),
      );
      const body = (await response.json()) as Record<string, unknown>;

      expect(response.status).toBe(200);
      expect(Object.keys(body).sort()).toEqual([
        'access_token',
        'id',
        'instance_url',
        'issued_at',
        'signature',
        'token_type',
      ]);
      expect(body['instance_url']).toBe(sut.url);
      expect(body['issued_at']).toMatch(/^\d{13}$/);
    });

    it('answers a wrong secret with 400 invalid_client and an unknown client with invalid_client_id', async () => {
      const wrongSecret = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({ grant_type: 'client_credentials', client_id: SF_CLIENT.id, client_secret: 'nope' }),
      );
      const unknownClient = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'nope' }),
      );

      expect(wrongSecret.status).toBe(400);
      expect(await wrongSecret.json()).toEqual({
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });
      expect(await unknownClient.json()).toEqual({
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      });
    });

    it('accepts a JWT bearer assertion for the login audience and rejects another audience', async () => {
      const exp = Math.floor(Date.now() / 1000) + 300;
      const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      const good = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({
          grant_type: grant,
          assertion: jwt({
            iss: SF_CLIENT.id,
            sub: 'u@example.com',
            aud: 'https://login.salesforce.com',
            exp,
          }),
        }),
      );
      const bad = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({
          grant_type: grant,
          assertion: jwt({ iss: SF_CLIENT.id, sub: 'u@example.com', aud: 'https://example.com', exp }),
        }),
      );

      expect(good.status).toBe(200);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Audience validation failed',
      });
    });

    it('refreshes with the configured refresh token and rejects an unknown one with invalid_grant', async () => {
      const good = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({
          grant_type: 'refresh_token',
          client_id: SF_CLIENT.id,
          refresh_token: 'sim-salesforce-refresh-token',
        }),
      );
      const bad = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({ grant_type: 'refresh_token', client_id: SF_CLIENT.id, refresh_token: 'stale' }),
      );

      expect(good.status).toBe(200);
      expect(((await bad.json()) as { error: string }).error).toBe('invalid_grant');
    });

    it('injects invalid_grant from the fault configuration', async () => {
      await putFaults(sut.url, {
        tokenErrors: [{ provider: 'salesforce', error: 'invalid_grant', count: 1 }],
      });
      const response = await fetch(
        `${sut.url}/services/oauth2/token`,
        form({ grant_type: 'client_credentials', client_id: SF_CLIENT.id, client_secret: SF_CLIENT.secret }),
      );

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
    });
  });

  describe('records', () => {
    it('reads selected fields with attributes and the Sforce-Limit-Info header', async () => {
      const response = await fetch(`${contactUrl()}?fields=Email,Phone`, { headers: bearer(token) });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
      expect(await response.json()).toEqual({
        attributes: { type: 'Contact', url: `${SF_API}/sobjects/Contact/${ADA_SF}` },
        Email: 'ada@example.com',
        Phone: '+14155550132',
      });
    });

    it('answers an unknown field in fields= with 400 INVALID_FIELD', async () => {
      const response = await fetch(`${contactUrl()}?fields=Emial`, { headers: bearer(token) });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual([
        {
          message: "No such column 'Emial' on sobject of type Contact",
          errorCode: 'INVALID_FIELD',
          fields: ['Emial'],
        },
      ]);
    });

    it('PATCHes with 204 and no body, and records the write with its conversation', async () => {
      const response = await fetch(
        contactUrl(),
        patchJson(token, { Email: 'ada@new.example', Last_Conversation_Id__c: 'conv-1' }),
      );

      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      const stored = (await (await fetch(`${sut.url}/__admin/contacts/salesforce/${ADA_SF}`)).json()) as {
        history: unknown[];
      };
      expect(stored.history).toContainEqual(
        expect.objectContaining({
          field: 'Email',
          oldValue: 'ada@example.com',
          newValue: 'ada@new.example',
          conversationId: 'conv-1',
        }),
      );
    });

    it('accepts PATCH tunnelled through POST ?_HttpMethod=PATCH', async () => {
      const response = await fetch(`${contactUrl()}?_HttpMethod=PATCH`, {
        ...patchJson(token, { Title: 'Tunnelled' }),
        method: 'POST',
      });

      expect(response.status).toBe(204);
    });

    it('refuses PUT with 405', async () => {
      const response = await fetch(contactUrl(), {
        method: 'PUT',
        headers: bearer(token, { 'content-type': 'application/json' }),
        body: '{"Email":"x@y.z"}',
      });

      expect(response.status).toBe(405);
      expect(((await response.json()) as [{ errorCode: string }])[0].errorCode).toBe('METHOD_NOT_ALLOWED');
    });

    it('answers If-Unmodified-Since older than the last write with 412 and writes nothing', async () => {
      await fetch(contactUrl(), patchJson(token, { Title: 'Countess' }));
      const before = new Date(Date.now() - 60_000).toUTCString();
      const response = await fetch(
        contactUrl(),
        patchJson(token, { Title: 'Engineer' }, { 'if-unmodified-since': before }),
      );
      const afterRefusal = (await (
        await fetch(`${contactUrl()}?fields=Title`, { headers: bearer(token) })
      ).json()) as { Title: unknown };
      const later = await fetch(
        contactUrl(),
        patchJson(
          token,
          { Title: 'Engineer' },
          { 'if-unmodified-since': new Date(Date.now() + 60_000).toUTCString() },
        ),
      );

      expect(response.status).toBe(412);
      expect(afterRefusal.Title).toBe('Countess');
      expect(later.status).toBe(204);
    });

    it('answers 404 NOT_FOUND, 404 ENTITY_IS_DELETED and 400 MALFORMED_ID', async () => {
      await fetch(`${sut.url}/__admin/contacts/salesforce/003000000000002AAA`, { method: 'DELETE' });
      const missing = await fetch(contactUrl('003000000000009AAA'), patchJson(token, { Title: 'x' }));
      const deleted = await fetch(contactUrl('003000000000002AAA'), patchJson(token, { Title: 'x' }));
      const malformed = await fetch(contactUrl('003nope'), { headers: bearer(token) });

      expect([missing.status, deleted.status, malformed.status]).toEqual([404, 404, 400]);
      expect(((await missing.json()) as [{ errorCode: string }])[0].errorCode).toBe('NOT_FOUND');
      expect(((await deleted.json()) as [{ errorCode: string }])[0].errorCode).toBe('ENTITY_IS_DELETED');
      expect(((await malformed.json()) as [{ errorCode: string }])[0].errorCode).toBe('MALFORMED_ID');
    });

    it('answers a value over the field length with STRING_TOO_LONG', async () => {
      const response = await fetch(contactUrl(), patchJson(token, { FirstName: 'x'.repeat(41) }));

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual([
        expect.objectContaining({ errorCode: 'STRING_TOO_LONG', fields: ['FirstName'] }),
      ]);
    });

    it('injects FIELD_CUSTOM_VALIDATION_EXCEPTION with empty fields and UNABLE_TO_LOCK_ROW', async () => {
      await putFaults(sut.url, {
        fieldErrors: [
          {
            field: 'Order_Number__c',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Order numbers are 10 digits',
          },
        ],
        lockRow: [{ recordId: ADA_SF, count: 1 }],
      });
      const invalid = await fetch(contactUrl(), patchJson(token, { Order_Number__c: '1' }));
      const locked = await fetch(contactUrl(), patchJson(token, { Title: 'x' }));
      const unlocked = await fetch(contactUrl(), patchJson(token, { Title: 'x' }));

      expect(await invalid.json()).toEqual([
        {
          message: 'Order numbers are 10 digits',
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          fields: [],
        },
      ]);
      expect(locked.status).toBe(400);
      expect(await locked.json()).toEqual([
        {
          message: 'unable to obtain exclusive access to this record',
          errorCode: 'UNABLE_TO_LOCK_ROW',
          fields: [],
        },
      ]);
      expect(unlocked.status).toBe(204);
    });
  });

  describe('upsert by external id', () => {
    const upsertUrl = (value: string) => `${sut.url}${SF_API}/sobjects/Contact/Account_Id__c/${value}`;

    it('creates with 201, then updates with 200 created:false', async () => {
      const created = await fetch(upsertUrl('AC-12345678'), patchJson(token, { LastName: 'New' }));
      const createdBody = (await created.json()) as { id: string };
      const updated = await fetch(upsertUrl('AC-12345678'), patchJson(token, { LastName: 'Newer' }));

      expect(created.status).toBe(201);
      expect(createdBody).toEqual({
        id: expect.stringMatching(/^003\w{15}$/) as unknown,
        success: true,
        errors: [],
        created: true,
      });
      expect(updated.status).toBe(200);
      expect(await updated.json()).toEqual({ id: createdBody.id, success: true, errors: [], created: false });
    });

    it('answers 300 with the matching records when the external id is ambiguous', async () => {
      await fetch(`${sut.url}/__admin/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider: 'salesforce',
          contacts: [
            { fields: { Account_Id__c: 'AC-00000001' } },
            { fields: { Account_Id__c: 'AC-00000001' } },
          ],
        }),
      });
      const response = await fetch(upsertUrl('AC-00000001'), patchJson(token, { LastName: 'x' }));

      expect(response.status).toBe(300);
      expect(await response.json()).toHaveLength(2);
    });

    it('answers 404 for a field that is not an external id', async () => {
      const response = await fetch(
        `${sut.url}${SF_API}/sobjects/Contact/Email/a@b.c`,
        patchJson(token, { LastName: 'x' }),
      );

      expect(response.status).toBe(404);
    });
  });

  describe('sObject Collections', () => {
    const collectionsUrl = () => `${sut.url}${SF_API}/composite/sobjects`;
    const record = (id: string, fields: Record<string, unknown>) => ({
      attributes: { type: 'Contact' },
      id,
      ...fields,
    });

    it('applies valid records and reports each invalid one with statusCode when allOrNone is false', async () => {
      const response = await fetch(
        collectionsUrl(),
        patchJson(token, {
          allOrNone: false,
          records: [
            record(ADA_SF, { Title: 'A' }),
            record('003000000000009AAA', { Title: 'B' }),
            record('003000000000003AAA', { FirstName: 'x'.repeat(50) }),
          ],
        }),
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([
        { id: ADA_SF, success: true, errors: [] },
        {
          id: '003000000000009AAA',
          success: false,
          errors: [{ statusCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }],
        },
        {
          id: '003000000000003AAA',
          success: false,
          errors: [expect.objectContaining({ statusCode: 'STRING_TOO_LONG', fields: ['FirstName'] })],
        },
      ]);
    });

    it('rolls every record back when allOrNone is true and one fails', async () => {
      const response = await fetch(
        collectionsUrl(),
        patchJson(token, {
          allOrNone: true,
          records: [record(ADA_SF, { Title: 'A' }), record('003000000000009AAA', { Title: 'B' })],
        }),
      );
      const results = (await response.json()) as { success: boolean; errors: { statusCode: string }[] }[];
      const ada = (await (
        await fetch(`${contactUrl()}?fields=Title`, { headers: bearer(token) })
      ).json()) as { Title: unknown };

      expect(results.map((result) => [result.success, result.errors[0]?.statusCode])).toEqual([
        [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
        [false, 'NOT_FOUND'],
      ]);
      expect(ada.Title).toBeNull();
    });

    it('upserts by external id: creates unknown values, updates known ones, reports a missing value per record', async () => {
      await fetch(
        `${sut.url}${SF_API}/sobjects/Contact/Account_Id__c/AC-00000002`,
        patchJson(token, { LastName: 'Existing' }),
      );
      const response = await fetch(
        `${collectionsUrl()}/Contact/Account_Id__c`,
        patchJson(token, {
          allOrNone: false,
          records: [
            { attributes: { type: 'Contact' }, Account_Id__c: 'AC-00000002', Title: 'Updated' },
            { attributes: { type: 'Contact' }, Account_Id__c: 'AC-00000003', LastName: 'Created' },
            { attributes: { type: 'Contact' }, LastName: 'No key' },
          ],
        }),
      );
      const results = (await response.json()) as {
        success: boolean;
        created?: boolean;
        errors: { statusCode: string }[];
      }[];

      expect(response.status).toBe(200);
      expect(results.map((result) => [result.success, result.created, result.errors[0]?.statusCode])).toEqual(
        [
          [true, false, undefined],
          [true, true, undefined],
          [false, undefined, 'MISSING_ARGUMENT'],
        ],
      );
    });

    it('refuses more than 200 records with 400 EXCEEDED_ID_LIMIT', async () => {
      const records = Array.from({ length: 201 }, () => record(ADA_SF, { Title: 'A' }));
      const response = await fetch(collectionsUrl(), patchJson(token, { records }));

      expect(response.status).toBe(400);
      expect(((await response.json()) as [{ errorCode: string }])[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    });
  });

  describe('SOQL', () => {
    it('finds a contact by email or phone', async () => {
      const q = "SELECT Id FROM Contact WHERE Email = 'grace@example.com' OR Phone = '+14155550132'";
      const response = await fetch(`${sut.url}${SF_API}/query?q=${encodeURIComponent(q)}`, {
        headers: bearer(token),
      });
      const body = (await response.json()) as { totalSize: number; done: boolean; records: { Id: string }[] };

      expect(body.totalSize).toBe(2);
      expect(body.done).toBe(true);
      expect(body.records.map((found) => found.Id).sort()).toEqual([ADA_SF, '003000000000003AAA']);
    });

    it('rejects any other query with 400 MALFORMED_QUERY', async () => {
      const response = await fetch(
        `${sut.url}${SF_API}/query?q=${encodeURIComponent("SELECT Id FROM Contact WHERE Name LIKE 'A%'")}`,
        { headers: bearer(token) },
      );

      expect(response.status).toBe(400);
      expect(((await response.json()) as [{ errorCode: string }])[0].errorCode).toBe('MALFORMED_QUERY');
    });
  });

  describe('sessions and limits', () => {
    it('answers an expired session with 401 INVALID_SESSION_ID and WWW-Authenticate: Token', async () => {
      await putFaults(sut.url, { tokenTtlSeconds: { salesforce: 0.2 } });
      const shortLived = await salesforceToken(sut.url);
      const response = await waitFor(
        async () => {
          const attempt = await fetch(contactUrl(), { headers: bearer(shortLived) });
          return attempt.status === 401 ? attempt : undefined;
        },
        { timeoutMs: 5_000, description: 'the short-lived token to expire' },
      );

      expect(response.headers.get('www-authenticate')).toBe('Token');
      expect(response.headers.get('sforce-limit-info')).not.toBeNull();
      expect(await response.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });

    it('says "not valid for use with the REST API" when the non-recoverable 401 is configured', async () => {
      await putFaults(sut.url, { sessionInvalidForRest: true });
      const response = await fetch(contactUrl(), { headers: bearer('unknown-session') });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual([
        { message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });

    it('expires every token on the admin request', async () => {
      await fetch(`${sut.url}/__admin/tokens/expire`, { method: 'POST' });

      expect((await fetch(contactUrl(), { headers: bearer(token) })).status).toBe(401);
    });

    it('answers a 403 burst with REQUEST_LIMIT_EXCEEDED, then recovers', async () => {
      await putFaults(sut.url, { bursts: [{ provider: 'salesforce', status: 403, count: 2 }] });
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await fetch(contactUrl(), { headers: bearer(token) })).status);

      expect(statuses).toEqual([403, 403, 200]);
    });

    it('answers a 429 burst with Retry-After', async () => {
      await putFaults(sut.url, {
        bursts: [{ provider: 'salesforce', status: 429, count: 1, retryAfterSeconds: 7 }],
      });
      const response = await fetch(contactUrl(), { headers: bearer(token) });

      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
    });

    it('counts calls in Sforce-Limit-Info and refuses past the daily allocation', async () => {
      await putFaults(sut.url, { dailyApiLimit: 5, apiUsage: 4 });
      const last = await fetch(contactUrl(), { headers: bearer(token) });
      const over = await fetch(contactUrl(), { headers: bearer(token) });

      expect(last.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
      expect(over.status).toBe(403);
      expect(await over.json()).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
    });
  });
});
