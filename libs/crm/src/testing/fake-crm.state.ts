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

/** One field whose stored value a write changed (a write of the same value is not a change). */
export interface FieldChange {
  object: string;
  id: string;
  field: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
  at: number;
}

export interface FakeFaults {
  /** Next N API calls (not token calls) answer with this status: 429 and 503 carry Retry-After. */
  burst?: { status: 429 | 503 | 500; remaining: number; retryAfterSeconds?: number };
  /** Every API call (not token calls) until `untilMs` (epoch ms) answers with this status. */
  storm?: { status: 429 | 503; untilMs: number; retryAfterSeconds?: number };
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
  /** Every effective change of a stored value, in order: what a duplicate write would show up in. */
  readonly changes: FieldChange[] = [];
  /** Every accepted write of a record (single PATCH or one record of a collection / $batch). */
  readonly writes: Array<{ object: string; id: string; fields: string[]; at: number }> = [];
  /** Requests received and not yet answered (method and path), e.g. to crash a client mid-call. */
  readonly inFlight = new Set<{ method: string; path: string }>();
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
    this.writes.push({ object, id, fields: Object.keys(fields), at: Date.now() });
    for (const [field, to] of Object.entries(fields)) {
      const from = existing?.fields[field] ?? null;
      if (from !== to) this.changes.push({ object, id, field, from, to, at: Date.now() });
    }
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
    const storm = this.faults.storm;
    if (storm && Date.now() < storm.untilMs)
      return { status: storm.status, retryAfterSeconds: storm.retryAfterSeconds };
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
