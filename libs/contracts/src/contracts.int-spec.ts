// Every schema registered in the real registry (Apicurio's Confluent-compatible API, BACKWARD
// compatibility as in production), and proof that an incompatible change is refused.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { stackEnv, uniqueName } from '@crm/testing';
import { MESSAGE_SCHEMAS, type MessageName } from './schemas.generated';
import { subjectFor } from './subjects';
import { TOPIC_SPECS } from './topics';

interface RecordSchema {
  type: 'record';
  fields: Array<{ name: string; type: unknown; default?: unknown }>;
}

describe('contracts in the schema registry', () => {
  const registry = new SchemaRegistry({ host: stackEnv().registryUrl });
  const prefix = uniqueName('contracts');

  // The client library only registers named (record) schemas, so the primitive key schemas go
  // through the registry's REST API directly.
  async function registerRaw(subject: string, schema: unknown): Promise<number> {
    const response = await fetch(
      `${stackEnv().registryUrl}/subjects/${encodeURIComponent(subject)}/versions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify(schema) }),
      },
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { id: number }).id;
  }

  it.each(TOPIC_SPECS.map((spec) => [spec.name, spec.message] as const))(
    'registers the key and value schemas of %s',
    async (topic, message) => {
      const keySubject = subjectFor(`${prefix}.${topic}`, 'key');
      const keyId = await registerRaw(keySubject, MESSAGE_SCHEMAS[message].key);
      expect(await registry.getLatestSchemaId(keySubject)).toBe(keyId);

      const valueSubject = subjectFor(`${prefix}.${topic}`, 'value');
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(MESSAGE_SCHEMAS[message].value) },
        { subject: valueSubject },
      );
      expect(await registry.getLatestSchemaId(valueSubject)).toBe(id);
    },
  );

  it.each(Object.keys(MESSAGE_SCHEMAS) as MessageName[])(
    'accepts a backward-compatible evolution of %s and refuses an incompatible one',
    async (message) => {
      const current = MESSAGE_SCHEMAS[message].value as unknown as RecordSchema;
      const subject = `${prefix}.evolution.${message}-value`;
      await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(current) }, { subject });

      const compatible = {
        ...current,
        fields: [...current.fields, { name: 'addedLater', type: ['null', 'string'], default: null }],
      };
      await expect(
        registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(compatible) }, { subject }),
      ).resolves.toHaveProperty('id');

      // A new required field without a default cannot be read from old records: BACKWARD refuses it.
      const incompatible = {
        ...compatible,
        fields: [...compatible.fields, { name: 'requiredLater', type: 'string' }],
      };
      await expect(
        registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
      ).rejects.toMatchObject({ status: 409 });
    },
  );

  it('refuses to let a schema of another record replace one under the same subject', async () => {
    const subject = `${prefix}.swap-value`;
    await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(MESSAGE_SCHEMAS['contact-update-result'].value) },
      { subject },
    );
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(MESSAGE_SCHEMAS['dead-letter'].value) },
        { subject },
      ),
    ).rejects.toMatchObject({ status: 409 });
  });
});
