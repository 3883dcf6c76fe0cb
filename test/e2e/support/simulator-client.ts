// The CRM simulator's admin API as the test tiers use it (seed and read contacts, wait for a field),
// and the writer's environment pointing at a simulator's Salesforce endpoints.
import { waitFor } from '@crm/testing';

export interface SimContact {
  id: string;
  fields: Record<string, unknown>;
  history: Array<{ field: string; oldValue: unknown; newValue: unknown; conversationId?: string | null }>;
}

/** The crm-writer's variables for the simulator's Salesforce API at `simulatorUrl`. */
export function salesforceSimulatorEnv(simulatorUrl: string): Record<string, string> {
  return {
    CRM_PROVIDER: 'salesforce',
    SALESFORCE_INSTANCE_URL: simulatorUrl,
    SALESFORCE_TOKEN_URL: `${simulatorUrl}/services/oauth2/token`,
    SALESFORCE_CLIENT_ID: 'sim-salesforce-client',
    SALESFORCE_CLIENT_SECRET: 'sim-salesforce-secret',
  };
}

export class SimulatorClient {
  constructor(readonly simulatorUrl: string) {}

  async admin<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetch(`${this.simulatorUrl}/__admin${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A new Salesforce contact; answers the id the simulator gave it. */
  async createContact(fields: Record<string, unknown>): Promise<string> {
    const created = await this.admin<{ contacts: Array<{ id: string }> }>('/contacts', {
      method: 'POST',
      body: JSON.stringify({ provider: 'salesforce', contacts: [{ fields }] }),
    });
    return created.contacts[0]!.id;
  }

  /** A Salesforce contact with a given id (the id the original CRM gave it). */
  async seedContact(id: string, fields: Record<string, unknown>): Promise<void> {
    await this.admin('/contacts', {
      method: 'POST',
      body: JSON.stringify({ provider: 'salesforce', contacts: [{ id, fields }] }),
    });
  }

  contact(id: string): Promise<SimContact> {
    return this.admin<SimContact>(`/contacts/salesforce/${id}`);
  }

  /** Polls the simulator until the contact's field holds `value`; answers the contact. */
  waitForField(
    id: string,
    field: string,
    value: unknown,
    description: string,
    timeoutMs = 60_000,
  ): Promise<SimContact> {
    return waitFor(
      async () => {
        const current = await this.contact(id);
        return current.fields[field] === value ? current : undefined;
      },
      { timeoutMs, description },
    );
  }
}
