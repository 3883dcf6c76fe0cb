// patches/kafkajs+2.2.4.patch rewrote how kafkajs decodes a fetched record's headers (one object filled
// in place instead of a spread copy per header). These tests pin what consumers see: a record encoded
// by kafkajs' own producer-side encoder, decoded by the (patched) fetch-side decoder.
import { createRequire } from 'node:module';

interface EncodedRecord {
  buffer: Buffer;
}
type RecordHeaders = Record<string, Buffer | string | Array<Buffer | string>>;
interface DecodedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
  offset: string;
}

const load = createRequire(__filename);
const encodeRecord = load('kafkajs/src/protocol/recordBatch/record/v0') as (record: {
  key: Buffer;
  value: Buffer;
  headers?: RecordHeaders | undefined;
  offsetDelta?: number;
}) => EncodedRecord;
const decodeRecord = load('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: unknown,
  batchContext: { firstOffset: string; firstTimestamp: string },
) => DecodedRecord;
const Decoder = load('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => {
  readVarIntBytes(): Buffer;
};

function roundTrip(headers?: RecordHeaders): DecodedRecord {
  const encoded = encodeRecord({ key: Buffer.from('k'), value: Buffer.from('v'), headers, offsetDelta: 3 });
  const body = new Decoder(encoded.buffer).readVarIntBytes();
  return decodeRecord(new Decoder(body), { firstOffset: '40', firstTimestamp: '1767225600000' });
}

const text = (value: Buffer | Buffer[] | undefined): string | string[] | undefined =>
  Array.isArray(value) ? value.map(String) : value === undefined ? undefined : String(value);

describe('kafkajs record header decoding (patched)', () => {
  it('decodes each header key once, with its value', () => {
    const record = roundTrip({ traceparent: '00-abc-def-01', 'x-hop-ingest': '1767225600123' });

    expect(Object.keys(record.headers)).toEqual(['traceparent', 'x-hop-ingest']);
    expect(text(record.headers['traceparent'])).toBe('00-abc-def-01');
    expect(text(record.headers['x-hop-ingest'])).toBe('1767225600123');
    expect(String(record.key)).toBe('k');
    expect(String(record.value)).toBe('v');
    expect(record.offset).toBe('43');
  });

  it('gathers a repeated key into an array, in order', () => {
    const record = roundTrip({ tag: ['a', 'b', 'c'], one: 'x' });

    expect(text(record.headers['tag'])).toEqual(['a', 'b', 'c']);
    expect(text(record.headers['one'])).toBe('x');
  });

  it('gives a record without headers an empty object', () => {
    expect(roundTrip().headers).toEqual({});
  });

  it('keeps keys named like Object.prototype members as plain own headers', () => {
    const headers: RecordHeaders = { constructor: 'c', toString: 't' };
    Object.defineProperty(headers, '__proto__', { value: 'p', enumerable: true });

    const decoded = roundTrip(headers).headers;

    expect(Object.keys(decoded).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(text(decoded['constructor'])).toBe('c');
    expect(text(decoded['toString'])).toBe('t');
    expect(text(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value as Buffer)).toBe('p');
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });
});
