import { useSimulator } from '../testing/simulator.fixture';
import { ADA_SF, bearer, patchJson, putFaults, SF_API, salesforceToken } from '../testing/wire';

interface LoggedRequest {
  seq: number;
  provider: string;
  operation: string;
  method: string;
  url: string;
  status: number;
  summary: string;
}

describe('admin API, health and metrics', () => {
  const sut = useSimulator();

  it('logs each CRM request with operation, status and field names but no values', async () => {
    const token = await salesforceToken(sut.url);
    await fetch(
      `${sut.url}${SF_API}/sobjects/Contact/${ADA_SF}`,
      patchJson(token, { Email: 'secret@example.com' }),
    );
    const { requests } = (await (await fetch(`${sut.url}/__admin/requests?provider=salesforce`)).json()) as {
      requests: LoggedRequest[];
    };

    expect(
      requests.map(({ operation, method, status, summary }) => ({ operation, method, status, summary })),
    ).toEqual([
      { operation: 'token', method: 'POST', status: 200, summary: 'grant_type=client_credentials' },
      { operation: 'patch', method: 'PATCH', status: 204, summary: 'fields=Email' },
    ]);
    expect(JSON.stringify(requests)).not.toContain('secret@example.com');
  });

  it('returns only requests after a sequence number', async () => {
    await salesforceToken(sut.url);
    const first = (await (await fetch(`${sut.url}/__admin/requests`)).json()) as {
      requests: LoggedRequest[];
    };
    await salesforceToken(sut.url);
    const later = (await (
      await fetch(`${sut.url}/__admin/requests?since=${first.requests[0]!.seq}`)
    ).json()) as { requests: LoggedRequest[] };

    expect(later.requests).toHaveLength(1);
  });

  it('seeds contacts and shows them in the store; reset restores the demo seed', async () => {
    const seeded = await fetch(`${sut.url}/__admin/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'dynamics', contacts: [{ fields: { lastname: 'Seeded' } }] }),
    });
    const { contacts } = (await seeded.json()) as { contacts: { id: string }[] };
    const store = (await (await fetch(`${sut.url}/__admin/store`)).json()) as {
      dynamics: { id: string }[];
      salesforce: unknown[];
    };
    await fetch(`${sut.url}/__admin/reset`, { method: 'POST' });
    const afterReset = (await (await fetch(`${sut.url}/__admin/store`)).json()) as {
      dynamics: { id: string }[];
    };

    expect(seeded.status).toBe(201);
    expect(store.dynamics.map((record) => record.id)).toContain(contacts[0]!.id);
    expect(store.salesforce).toHaveLength(3);
    expect(afterReset.dynamics.map((record) => record.id)).not.toContain(contacts[0]!.id);
  });

  it('refuses an invalid fault configuration with 400 and keeps the previous one', async () => {
    await putFaults(sut.url, { latency: { fixedMs: 1 } });
    const response = await fetch(`${sut.url}/__admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bursts: [{ status: 418 }] }),
    });
    const current = (await (await fetch(`${sut.url}/__admin/faults`)).json()) as {
      latency: { fixedMs: number };
    };

    expect(response.status).toBe(400);
    expect(current.latency.fixedMs).toBe(1);
  });

  it('answers a 503 burst for the configured duration only on data calls, not the token endpoint', async () => {
    const token = await salesforceToken(sut.url);
    await putFaults(sut.url, { bursts: [{ status: 503, durationSeconds: 60, retryAfterSeconds: 2 }] });
    const data = await fetch(`${sut.url}${SF_API}/sobjects/Contact/${ADA_SF}`, { headers: bearer(token) });
    const tokenAgain = await fetch(`${sut.url}/services/oauth2/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials&client_id=sim-salesforce-client&client_secret=sim-salesforce-secret',
    });

    expect(data.status).toBe(503);
    expect(data.headers.get('retry-after')).toBe('2');
    expect(tokenAgain.status).toBe(200);
  });

  it('delays responses by the configured latency', async () => {
    await putFaults(sut.url, { latency: { fixedMs: 150, jitterMs: 0 } });
    const started = performance.now();
    await salesforceToken(sut.url);

    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('serves health and counts requests by provider, operation and status in /metrics', async () => {
    await salesforceToken(sut.url);
    const ready = await fetch(`${sut.url}/health/ready`);
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();

    expect(ready.status).toBe(200);
    expect(metrics).toMatch(
      /crm_simulator_requests_total\{provider="salesforce",operation="token",status="200",service="crm-simulator"\} \d+/,
    );
  });
});
