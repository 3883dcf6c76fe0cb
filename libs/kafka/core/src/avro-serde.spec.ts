import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroSerde, decodeKey, encodeKey } from './avro-serde';
import { DecodeError } from './errors';

describe(AvroSerde.name, () => {
  const schema = { type: 'record', name: 'T', fields: [{ name: 'a', type: 'string' }] };

  function serdeWithId(id: number): AvroSerde {
    return new AvroSerde({} as SchemaRegistry, () => Promise.resolve(id));
  }

  it('frames values as magic byte, big-endian schema id, Avro body', async () => {
    const sut = serdeWithId(258);
    const handle = await sut.register<{ a: string }>('t-value', schema);
    const bytes = sut.encode(handle, { a: 'x' });
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    expect(AvroSerde.schemaIdOf(bytes)).toBe(258);
    expect(sut.decode(bytes, handle)).toEqual({ a: 'x' });
  });

  it('rejects unframed bytes and ids it has not prepared', async () => {
    const sut = serdeWithId(5);
    const handle = await sut.register<{ a: string }>('t-value', schema);
    expect(() => sut.decode(Buffer.from('{}'), handle)).toThrow(DecodeError);
    expect(() => sut.decode(null, handle)).toThrow(DecodeError);
    expect(() => sut.decode(Buffer.from([0, 0, 0, 0, 9, 2]), handle)).toThrow(/not prepared/);
  });

  it('keys are raw UTF-8', () => {
    expect(encodeKey('conv-ä')).toEqual(Buffer.from('conv-ä', 'utf8'));
    expect(decodeKey(Buffer.from('conv-ä'))).toBe('conv-ä');
    expect(decodeKey(null)).toBeNull();
  });
});
