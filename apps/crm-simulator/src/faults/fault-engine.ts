// Decides, per request, which configured fault (if any) fires, and counts down windowed faults.
import { type Provider } from '../http/sim-http';
import {
  type BurstFault,
  type FaultConfig,
  type FaultConfigInput,
  faultConfigSchema,
  type FieldErrorFault,
  type TokenErrorFault,
} from './fault-config';

interface Windowed {
  count?: number | undefined;
  durationSeconds?: number | undefined;
}

interface Armed<T extends Windowed> {
  fault: T;
  remaining: number | undefined;
  until: number | undefined;
}

export const DEFAULT_DAILY_API_LIMIT = 15_000;

export class FaultEngine {
  private config: FaultConfig = faultConfigSchema.parse({});
  private bursts: Armed<BurstFault>[] = [];
  private locks: Armed<FaultConfig['lockRow'][number]>[] = [];
  private fieldErrors: Armed<FieldErrorFault>[] = [];
  private tokenErrors: Armed<TokenErrorFault>[] = [];
  private apiUsage = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Replaces every fault; the daily usage counter changes only when apiUsage is given. */
  set(input: FaultConfigInput): void {
    this.config = faultConfigSchema.parse(input);
    this.bursts = this.config.bursts.map((fault) => this.arm(fault));
    this.locks = this.config.lockRow.map((fault) => this.arm(fault));
    this.fieldErrors = this.config.fieldErrors.map((fault) => this.arm(fault));
    this.tokenErrors = this.config.tokenErrors.map((fault) => this.arm(fault));
    if (this.config.apiUsage !== undefined) this.apiUsage = this.config.apiUsage;
  }

  resetUsage(): void {
    this.apiUsage = this.config.apiUsage ?? 0;
  }

  current(): FaultConfig & { apiUsage: number } {
    return { ...this.config, apiUsage: this.apiUsage };
  }

  private arm<T extends Windowed>(fault: T): Armed<T> {
    return {
      fault,
      remaining: fault.count,
      until: fault.durationSeconds === undefined ? undefined : this.now() + fault.durationSeconds * 1000,
    };
  }

  /** First live fault that matches; consumes one of its count. Expired ones are dropped. */
  private take<T extends Windowed>(armed: Armed<T>[], matches: (fault: T) => boolean): T | undefined {
    const now = this.now();
    for (let i = 0; i < armed.length; i++) {
      const entry = armed[i];
      if (entry === undefined) continue;
      if ((entry.until !== undefined && now >= entry.until) || entry.remaining === 0) {
        armed.splice(i, 1);
        i--;
        continue;
      }
      if (!matches(entry.fault)) continue;
      if (entry.remaining !== undefined) entry.remaining -= 1;
      return entry.fault;
    }
    return undefined;
  }

  tokenTtlSeconds(provider: Provider): number {
    return this.config.tokenTtlSeconds[provider] ?? (provider === 'salesforce' ? 7200 : 3599);
  }

  sessionInvalidForRest(): boolean {
    return this.config.sessionInvalidForRest;
  }

  latencyMs(): number {
    const { fixedMs, jitterMs } = this.config.latency;
    return fixedMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
  }

  burst(provider: Provider): BurstFault | undefined {
    return this.take(this.bursts, (fault) => fault.provider === undefined || fault.provider === provider);
  }

  lockedRow(recordId: string): boolean {
    return (
      this.take(
        this.locks,
        (fault) => fault.recordId === undefined || fault.recordId.toLowerCase() === recordId.toLowerCase(),
      ) !== undefined
    );
  }

  /** A configured validation error for one of the fields written, if any. */
  fieldError(provider: Provider, fields: readonly string[]): FieldErrorFault | undefined {
    const written = new Set(fields.map((field) => field.toLowerCase()));
    return this.take(
      this.fieldErrors,
      (fault) =>
        (fault.provider === undefined || fault.provider === provider) &&
        written.has(fault.field.toLowerCase()),
    );
  }

  tokenError(provider: Provider): TokenErrorFault | undefined {
    return this.take(
      this.tokenErrors,
      (fault) => fault.provider === undefined || fault.provider === provider,
    );
  }

  dailyApiLimit(): number {
    return this.config.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT;
  }

  /** Counts one Salesforce API call; false when the daily allocation is already used up. */
  countApiCall(): boolean {
    if (this.apiUsage >= this.dailyApiLimit()) return false;
    this.apiUsage += 1;
    return true;
  }

  limitInfo(): string {
    return `api-usage=${this.apiUsage}/${this.dailyApiLimit()}`;
  }
}
