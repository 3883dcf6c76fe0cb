// Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro body) over the registry.
// Id look-ups go through @kafkajs/confluent-schema-registry, registration through
// schema-registration.ts; the per-record
// encode and decode are synchronous on cached avsc types, because an await per record costs more
// than the Avro work itself at 20k msg/s. Readers resolve the writer's schema into their own, so a
// BACKWARD-compatible change on the producer side never breaks a consumer.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro, { type Type } from 'avsc';
import { DecodeError, InfrastructureUnavailableError, SchemaMismatchError } from './errors';
import { type RegisterSchema, type RegistrySettings, restRegisterSchema } from './schema-registration';

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

export interface SchemaHandle<T> {
  readonly subject: string;
  readonly id: number;
  readonly type: Type;
  /** Type marker only; never read at run time. */
  readonly _value?: T;
}

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
    return new AvroSerde(registry, restRegisterSchema(settings));
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
