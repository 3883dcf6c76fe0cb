// The one place that reads process.env: each app's env.schema.ts describes its variables, and this
// validates them once at boot. Problems name the variable and the rule, never the value (it may be
// a secret).
import { type z } from 'zod';
import { ConfigError } from './config.error';

export type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(environment)';
    return `${variable}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/**
 * For an app's main(): validate, or print a readable message and exit non-zero. A stack trace
 * helps nobody who mistyped a variable.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  try {
    return loadConfig(service, schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\nSee README.md "Configuration" for every variable and its default.\n`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
