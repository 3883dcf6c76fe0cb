import { collectTopic, createTestTopic, stackEnv, testKafka, uniqueName } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { AvroSerde, encodeKey, decodeKey } from './avro-serde';
import { DecodeError, SchemaMismatchError } from './errors';
import { createIdempotentProducer } from './producer';
import { type MessageProducer } from './safe-producer';

interface OrderV1 {
  orderId: string;
  amount: number;
}
interface OrderV2 extends OrderV1 {
  currency: string;
}

const orderV1 = {
  type: 'record',
  name: 'Order',
  namespace: 'test',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'amount', type: 'long' },
  ],
};
const orderV2 = {
  ...orderV1,
  fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }],
};

describe(AvroSerde.name, () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: MessageProducer;
  const sut = AvroSerde.connect({ url: stackEnv().registryUrl });

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    producer = createIdempotentProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('round-trips a record through a real topic in the registry wire format', async () => {
    const topic = await createTestTopic(admin, { partitions: 3 });
    const handle = await sut.register<OrderV1>(`${topic}-value`, orderV1);
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: encodeKey('conv-1'), value: sut.encode(handle, { orderId: 'o-1', amount: 42 }) }],
    });

    const collector = await collectTopic(kafka, topic);
    const [received] = await collector.waitForCount(1);
    await collector.stop();

    expect(received!.message.value!.readUInt8(0)).toBe(0);
    expect(AvroSerde.schemaIdOf(received!.message.value)).toBe(handle.id);
    expect(decodeKey(received!.message.key)).toBe('conv-1');
    expect(await sut.decodeAsync(received!.message.value, handle)).toEqual({ orderId: 'o-1', amount: 42 });
  });

  it('reads a record written with a newer compatible schema into the reader schema', async () => {
    const subject = `${uniqueName('evolve')}-value`;
    const v1 = await sut.register<OrderV1>(subject, orderV1);
    const v2 = await sut.register<OrderV2>(subject, orderV2);
    const bytes = sut.encode(v2, { orderId: 'o-2', amount: 7, currency: 'GBP' });

    const reader = AvroSerde.connect({ url: stackEnv().registryUrl });
    const v1Reader = await reader.register<OrderV1>(subject, orderV1);
    expect(v1Reader.id).toBe(v1.id);
    expect(await reader.decodeAsync(bytes, v1Reader)).toEqual({ orderId: 'o-2', amount: 7 });
  });

  it('refuses to register an incompatible change under BACKWARD compatibility', async () => {
    const subject = `${uniqueName('incompatible')}-value`;
    await sut.register(subject, orderV1);
    const breaking = { ...orderV1, fields: [...orderV1.fields, { name: 'customerId', type: 'string' }] };
    await expect(sut.register(subject, breaking)).rejects.toBeInstanceOf(SchemaMismatchError);
  });

  it('reports bytes that are not framed Avro as a DecodeError', async () => {
    const handle = await sut.register<OrderV1>(`${uniqueName('garbage')}-value`, orderV1);
    await expect(sut.decodeAsync(Buffer.from('{"orderId":"x"}'), handle)).rejects.toBeInstanceOf(DecodeError);
    await expect(sut.decodeAsync(Buffer.from([0, 0x7f, 0xff, 0xff, 0xff, 1]), handle)).rejects.toBeInstanceOf(
      DecodeError,
    );
  });
});
