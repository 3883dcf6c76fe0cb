// State and fault knobs of the in-process CRM fake used by specs, int-specs and the benchmark.
// It reproduces the documented wire behaviour (docs/reference crm-apis.md §1, §2) and shares no code
// with the adapters' request building or parsing.
export interface FakeRecord {
  fields: Record<string, string | number | boolean | null>;
  lastModified: number;
  version: number;
  deleted: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface FakeFaults {
  /** Next N API calls (not token calls) answer with this status: 429 and 503 carry Retry-After. */
  burst?: { status: 429 | 503 | 500; remaining: number; retryAfterSeconds?: number };
  /** The token endpoint answers 400 with this OAuth error. */
  tokenError?: 'invalid_grant' | 'invalid_client' | 'invalid_client_id';
  /** Per record id: PATCH answers 400 with this code (FIELD_CUSTOM_VALIDATION_EXCEPTION, STRING_TOO_LONG …). */
  validation?: Record<string, { code: string; fields: string[] }>;
  /** Per record id: the next N PATCHes answer UNABLE_TO_LOCK_ROW. */
  locked?: Record<string, number>;
  /** Salesforce daily allocation (Sforce-Limit-Info) and usage so far. */
  dailyLimit?: number;
  /** Delay every API response by this many ms. */
  latencyMs?: number;
}

export class FakeCrmState {
  readonly records = new Map<string, FakeRecord>();
  readonly log: LoggedRequest[] = [];
  readonly validTokens = new Set<string>();
  faults: FakeFaults = {};
  tokensIssued = 0;
  apiUsage = 0;
  private nextVersion = 1;

  put(object: string, id: string, fields: FakeRecord['fields'], options: { deleted?: boolean } = {}): void {
    this.records.set(`${object}:${id}`, {
      fields: { ...fields },
      lastModified: Date.now() - 60_000,
      version: this.nextVersion++,
      deleted: options.deleted ?? false,
    });
  }

  get(object: string, id: string): FakeRecord | undefined {
    return this.records.get(`${object}:${id}`);
  }

  write(object: string, id: string, fields: FakeRecord['fields']): FakeRecord {
    const existing = this.get(object, id);
    const record: FakeRecord = {
      fields: { ...(existing?.fields ?? {}), ...fields },
      lastModified: Date.now(),
      version: this.nextVersion++,
      deleted: false,
    };
    this.records.set(`${object}:${id}`, record);
    return record;
  }

  /** Every token issued so far stops working, as when a session times out. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  issueToken(prefix: string): string {
    this.tokensIssued += 1;
    const token = `${prefix}-${this.tokensIssued}-${Math.random().toString(36).slice(2)}`;
    this.validTokens.add(token);
    return token;
  }

  count(method: string, pathPart: string): number {
    return this.log.filter((entry) => entry.method === method && entry.path.includes(pathPart)).length;
  }

  /** A burst fault consumes one of its N answers; returns it when one applies. */
  takeBurst(): { status: number; retryAfterSeconds: number | undefined } | null {
    const burst = this.faults.burst;
    if (!burst || burst.remaining <= 0) return null;
    burst.remaining -= 1;
    return { status: burst.status, retryAfterSeconds: burst.retryAfterSeconds };
  }

  takeLock(id: string): boolean {
    const remaining = this.faults.locked?.[id] ?? 0;
    if (remaining <= 0) return false;
    this.faults.locked![id] = remaining - 1;
    return true;
  }
}
