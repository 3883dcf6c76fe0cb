// Schema registration over the registry's REST API (POST /subjects/{subject}/versions).
//
// Not the client library's `register`: that one reads the subject's compatibility first and refuses
// when it is not the level it expects, which races when several services register the same subject
// at start-up (Apicurio answers NONE for a subject created a moment ago whose rule is not written
// yet). Compatibility is the registry's configuration (BACKWARD), not something each service sets.
//
// Over mappersmith, the HTTP client the registry library already uses for its look-ups (node:http),
// not over `fetch`: the first `fetch` in a Node 20 process loads undici and compiles its llhttp
// WebAssembly parser with TurboFan on a background thread, ≈20 MiB of resident memory for good and a
// ≈45 MiB peak, in services whose budget is 128 MiB (apps/extractor/README.md "Memory").
import forge from 'mappersmith';
import BasicAuthMiddleware from 'mappersmith/middleware/basic-auth';
import TimeoutMiddleware from 'mappersmith/middleware/timeout';
import { InfrastructureUnavailableError, SchemaMismatchError } from './errors';

export interface RegistrySettings {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

/** Registers a schema under a subject and answers its id (POST /subjects/{subject}/versions). */
export type RegisterSchema = (subject: string, schemaJson: string) => Promise<number>;

export interface RegistrationOptions {
  /** Tries for a transport failure or a 5xx answer. Default 3. */
  readonly attempts?: number;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Wait before try n+1 is n × this. Default 200 ms. */
  readonly backoffMs?: number;
}

/** What mappersmith rejects with: the response (a transport failure is status 400 with errors). */
interface FailedResponse {
  status(): number;
  rawData(): string | null;
  readonly errors: readonly (Error | string)[];
}

function isFailedResponse(value: unknown): value is FailedResponse {
  return typeof value === 'object' && value !== null && 'errors' in value && 'status' in value;
}

export function restRegisterSchema(
  settings: RegistrySettings,
  options: RegistrationOptions = {},
): RegisterSchema {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 200;
  const client = forge({
    clientId: 'crm-schema-registration',
    host: settings.url,
    ignoreGlobalMiddleware: true,
    middleware: [
      TimeoutMiddleware(options.timeoutMs ?? 10_000),
      ...(settings.username && settings.password
        ? [BasicAuthMiddleware({ username: settings.username, password: settings.password })]
        : []),
    ],
    resources: {
      Subject: {
        register: {
          method: 'post',
          path: '/subjects/{subject}/versions',
          headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        },
      },
    },
  });
  return async (subject, schemaJson) => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const response = await client.Subject.register({
          subject,
          body: JSON.stringify({ schema: schemaJson }),
        });
        const data: unknown = response.data();
        const parsed = (typeof data === 'string' ? JSON.parse(data) : data) as { id?: unknown };
        if (typeof parsed.id !== 'number') throw new Error(`no schema id in the answer for ${subject}`);
        return parsed.id;
      } catch (failure) {
        if (!isFailedResponse(failure)) throw failure;
        const status = failure.status();
        const transport = failure.errors.length > 0;
        const body = (failure.rawData() ?? '').slice(0, 300);
        if (!transport && status === 409) {
          throw new SchemaMismatchError(
            `schema for ${subject} is incompatible with the registered versions: ${body}`,
          );
        }
        lastError = transport
          ? new Error(
              String(failure.errors[0] instanceof Error ? failure.errors[0].message : failure.errors[0]),
            )
          : new Error(`HTTP ${status}: ${body}`);
        if (!transport && status < 500) break;
        if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * attempt));
      }
    }
    throw new InfrastructureUnavailableError(`schema registry did not register ${subject}`, {
      cause: lastError,
    });
  };
}
