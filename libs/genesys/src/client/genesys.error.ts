// Typed client errors: callers decide retry versus give-up on `retriable` alone.
export abstract class GenesysError extends Error {
  abstract readonly retriable: boolean;
  /** A stable code for logs, metrics and the poll schedule's lastOutcome. */
  abstract readonly reason: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The token endpoint refused the client credentials (401/400): retrying will not help. */
export class GenesysAuthError extends GenesysError {
  readonly retriable = false;
  readonly reason = 'AUTH_FAILED';
}

/** 429 after the bounded retries; `retryAfterMs` is the server's last hint. */
export class GenesysRateLimitedError extends GenesysError {
  readonly retriable = true;
  readonly reason = 'HTTP_429';

  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 5xx after the bounded retries. */
export class GenesysServerError extends GenesysError {
  readonly retriable = true;
  readonly reason = 'HTTP_5XX';

  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Connection refused, reset or timed out. */
export class GenesysUnavailableError extends GenesysError {
  readonly retriable = true;
  readonly reason = 'UNAVAILABLE';
}

/** Any other 4xx: the request itself is wrong or not permitted. */
export class GenesysRequestError extends GenesysError {
  readonly retriable = false;
  readonly reason: string;

  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.reason = `HTTP_${status}`;
  }
}

/** The resource does not exist (yet): for analytics this usually means "not ready". */
export class GenesysNotFoundError extends GenesysRequestError {
  constructor(message: string) {
    super(message, 404);
  }
}
