import { type z } from 'zod';

export interface ConfigurationIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown at boot when a configuration file is invalid; lists every problem, each with its path. */
export class InvalidConfigurationError extends Error {
  readonly retriable = false;

  constructor(
    readonly source: string,
    readonly issues: readonly ConfigurationIssue[],
  ) {
    super(
      `Invalid ${source}:\n${issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'InvalidConfigurationError';
  }

  static fromZod(source: string, error: z.ZodError): InvalidConfigurationError {
    return new InvalidConfigurationError(
      source,
      error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`,
    '',
  );
}
