// Caller authentication: a bearer token from a configured list, or an HMAC-SHA256 signature over
// `<timestamp>.<raw body>` inside a tolerance window (a replay outside it is refused). Every
// comparison is constant-time; nothing here logs or returns a secret.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature';
export const SIGNATURE_TIMESTAMP_HEADER = 'x-signature-timestamp';

export interface AuthSettings {
  bearerTokens: readonly string[];
  hmacSecret: string | undefined;
  toleranceSeconds: number;
}

export interface Credentials {
  authorization: string | undefined;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  /** Epoch ms. */
  now: number;
}

export type AuthFailure =
  'MISSING_CREDENTIALS' | 'BAD_TOKEN' | 'MALFORMED_SIGNATURE' | 'BAD_SIGNATURE' | 'OUTSIDE_TOLERANCE';
export type AuthOutcome = { ok: true; method: 'bearer' | 'hmac' } | { ok: false; failure: AuthFailure };

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

export class RequestAuthenticator {
  private readonly tokenDigests: Buffer[];

  constructor(private readonly settings: AuthSettings) {
    this.tokenDigests = settings.bearerTokens.map(digest);
  }

  authenticate(credentials: Credentials): AuthOutcome {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? '');
    if (bearer?.[1] !== undefined && this.tokenDigests.length > 0) {
      return this.matchesToken(bearer[1])
        ? { ok: true, method: 'bearer' }
        : { ok: false, failure: 'BAD_TOKEN' };
    }
    if (credentials.signature !== undefined && this.settings.hmacSecret !== undefined)
      return this.verifySignature(credentials, this.settings.hmacSecret);
    return { ok: false, failure: bearer ? 'BAD_TOKEN' : 'MISSING_CREDENTIALS' };
  }

  private matchesToken(candidate: string): boolean {
    const presented = digest(candidate);
    // Compare against every token so the time taken says nothing about which one (or none) matched.
    let matched = false;
    for (const token of this.tokenDigests) matched = timingSafeEqual(token, presented) || matched;
    return matched;
  }

  private verifySignature(credentials: Credentials, secret: string): AuthOutcome {
    const match = SIGNATURE.exec(credentials.signature ?? '');
    const timestamp =
      credentials.timestamp !== undefined && /^\d{1,12}$/.test(credentials.timestamp)
        ? Number(credentials.timestamp)
        : undefined;
    if (!match?.[1] || timestamp === undefined) return { ok: false, failure: 'MALFORMED_SIGNATURE' };
    const expected = createHmac('sha256', secret)
      .update(`${credentials.timestamp}.`)
      .update(credentials.rawBody)
      .digest();
    if (!timingSafeEqual(expected, Buffer.from(match[1], 'hex')))
      return { ok: false, failure: 'BAD_SIGNATURE' };
    // Checked after the signature, so an attacker cannot probe the window with unsigned requests.
    if (Math.abs(credentials.now / 1000 - timestamp) > this.settings.toleranceSeconds)
      return { ok: false, failure: 'OUTSIDE_TOLERANCE' };
    return { ok: true, method: 'hmac' };
  }
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/** What a caller computes: the `x-signature` header value for a body sent at `timestampSeconds`. */
export function signBody(secret: string, timestampSeconds: number, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex')}`;
}
