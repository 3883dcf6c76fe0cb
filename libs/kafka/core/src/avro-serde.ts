// Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro body) over the registry.
// Registration and id look-ups go through @kafkajs/confluent-schema-registry; the per-record
// encode and decode are synchronous on cached avsc types, because an await per record costs more
// than the Avro work itself at 20k msg/s. Readers resolve the writer's schema into their own, so a
// BACKWARD-compatible change on the producer side never breaks a consumer.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro, { type Type } from 'avsc';
import { DecodeError, InfrastructureUnavailableError, SchemaMismatchError } from './errors';

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

export interface RegistrySettings {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

export interface SchemaHandle<T> {
  readonly subject: string;
  readonly id: number;
  readonly type: Type;
  /** Type marker only; never read at run time. */
  readonly _value?: T;
}

/** Registers a schema under a subject and answers its id (POST /subjects/{subject}/versions). */
export type RegisterSchema = (subject: string, schemaJson: string) => Promise<number>;

export class AvroSerde {
  private readonly writerTypes = new Map<number, Type>();
  private readonly resolvers = new Map<string, ReturnType<Type['createResolver']>>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly registerSchema: RegisterSchema,
  ) {}

  static connect(settings: RegistrySettings): AvroSerde {
    const auth =
      settings.username && settings.password
        ? { username: settings.username, password: settings.password }
        : undefined;
    const registry = new SchemaRegistry({
      host: settings.url,
      ...(auth ? { auth } : {}),
      retry: { retries: 2 },
    });
    return new AvroSerde(registry, httpRegisterSchema(settings));
  }

  /** Registers (or finds) the schema under `subject` and returns a handle for encode and decode. */
  async register<T>(subject: string, schema: object | string): Promise<SchemaHandle<T>> {
    const type = avro.Type.forSchema(schema as avro.Schema);
    const id = await this.registerSchema(subject, JSON.stringify(schema));
    this.writerTypes.set(id, type);
    return { subject, id, type };
  }

  encode<T>(handle: SchemaHandle<T>, value: T): Buffer {
    const body = handle.type.toBuffer(value);
    const out = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
    out.writeUInt8(MAGIC_BYTE, 0);
    out.writeInt32BE(handle.id, 1);
    body.copy(out, HEADER_LENGTH);
    return out;
  }

  /** The schema id of a framed record, or a DecodeError for bytes that are not framed Avro. */
  static schemaIdOf(buffer: Buffer | null): number {
    if (!buffer || buffer.length < HEADER_LENGTH || buffer.readUInt8(0) !== MAGIC_BYTE) {
      throw new DecodeError('record is not in the schema-registry wire format (no magic byte)');
    }
    return buffer.readInt32BE(1);
  }

  /** Makes sure the writer schema of `buffer` is cached, fetching it from the registry once. */
  async prepare(buffer: Buffer | null): Promise<void> {
    const id = AvroSerde.schemaIdOf(buffer);
    if (this.writerTypes.has(id)) return;
    let schema: unknown;
    try {
      schema = await this.registry.getSchema(id);
    } catch (error) {
      if (isHttpError(error) && error.status === 404)
        throw new DecodeError(`schema id ${id} is unknown to the registry`, { cause: error });
      throw new InfrastructureUnavailableError(`schema registry did not return schema ${id}`, {
        cause: error,
      });
    }
    this.writerTypes.set(id, schema as Type);
  }

  /** Decodes into the reader's schema. Call `prepare` first for ids not seen yet (or use `decodeAsync`). */
  decode<T>(buffer: Buffer | null, reader: SchemaHandle<T>): T {
    const id = AvroSerde.schemaIdOf(buffer);
    const writer = this.writerTypes.get(id);
    if (!writer) throw new DecodeError(`schema id ${id} not prepared; call prepare() first`);
    const body = (buffer as Buffer).subarray(HEADER_LENGTH);
    try {
      if (id === reader.id) return reader.type.fromBuffer(body) as T;
      const key = `${id}>${reader.id}`;
      let resolver = this.resolvers.get(key);
      if (!resolver) {
        try {
          resolver = reader.type.createResolver(writer);
        } catch (error) {
          throw new SchemaMismatchError(
            `record written with schema ${id} cannot be read as ${reader.subject}`,
            { cause: error },
          );
        }
        this.resolvers.set(key, resolver);
      }
      return reader.type.fromBuffer(body, resolver) as T;
    } catch (error) {
      if (error instanceof SchemaMismatchError) throw error;
      throw new DecodeError(`record body does not match schema ${id}`, { cause: error });
    }
  }

  async decodeAsync<T>(buffer: Buffer | null, reader: SchemaHandle<T>): Promise<T> {
    await this.prepare(buffer);
    return this.decode(buffer, reader);
  }
}

/**
 * Registration over the registry's REST API. Not the client library's `register`: that one reads
 * the subject's compatibility first and refuses when it is not the level it expects, which races
 * when several services register the same subject at start-up (Apicurio answers NONE for a
 * subject created a moment ago whose rule is not written yet). Compatibility is the registry's
 * configuration (BACKWARD), not something each service sets.
 */
export function httpRegisterSchema(settings: RegistrySettings, attempts = 3): RegisterSchema {
  const headers: Record<string, string> = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (settings.username && settings.password) {
    headers['authorization'] =
      `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`;
  }
  return async (subject, schemaJson) => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(`${settings.url}/subjects/${encodeURIComponent(subject)}/versions`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ schema: schemaJson }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        continue;
      }
      if (response.ok) return ((await response.json()) as { id: number }).id;
      const body = await response.text();
      if (response.status === 409) {
        throw new SchemaMismatchError(
          `schema for ${subject} is incompatible with the registered versions: ${body.slice(0, 300)}`,
        );
      }
      lastError = new Error(`HTTP ${response.status}: ${body.slice(0, 300)}`);
      if (response.status < 500) break;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    throw new InfrastructureUnavailableError(`schema registry did not register ${subject}`, {
      cause: lastError,
    });
  };
}

function isHttpError(error: unknown): error is { status: number } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
  );
}

/** Keys are raw UTF-8 so partitioning does not depend on registry ids (see libs/contracts/README.md). */
export function encodeKey(key: string): Buffer {
  return Buffer.from(key, 'utf8');
}

export function decodeKey(key: Buffer | null): string | null {
  return key ? key.toString('utf8') : null;
}
