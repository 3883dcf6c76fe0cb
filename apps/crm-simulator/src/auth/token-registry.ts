// Access tokens the simulator issued, each with its own expiry fixed at issue time.
import { randomBytes } from 'node:crypto';
import { type Provider } from '../http/sim-http';

export type TokenState = 'valid' | 'expired' | 'unknown';

interface Issued {
  provider: Provider;
  expiresAt: number;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, Issued>();
  private issuedCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  issue(provider: Provider, ttlSeconds: number): string {
    // Salesforce session ids look like "<orgId>!<opaque>"; Entra tokens are JWT-shaped. Shape only matters to humans.
    const opaque = randomBytes(24).toString('base64url');
    const token =
      provider === 'salesforce' ? `00D000000000001!${opaque}` : `eyJ0eXAiOiJKV1QifQ.${opaque}.sim`;
    this.tokens.set(token, { provider, expiresAt: this.now() + ttlSeconds * 1000 });
    this.issuedCount += 1;
    return token;
  }

  check(provider: Provider, authorization: string | undefined): TokenState {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const issued = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (issued?.provider !== provider) return 'unknown';
    return this.now() >= issued.expiresAt ? 'expired' : 'valid';
  }

  /** Admin: every token issued so far stops working at once. */
  expireAll(): void {
    const now = this.now();
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, now);
  }

  issued(): number {
    return this.issuedCount;
  }
}
