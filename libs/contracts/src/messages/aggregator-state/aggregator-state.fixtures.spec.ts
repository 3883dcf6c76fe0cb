// The aggregator-state fixtures document the changelog record: valid ones must encode and survive a
// round trip, invalid ones must be refused by the schema.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import avro from 'avsc';

import { MESSAGE_SCHEMAS } from '../../schemas.generated';

const stateType = avro.Type.forSchema(MESSAGE_SCHEMAS['aggregator-state'].value as unknown as avro.Schema);
const fixtures = (kind: 'valid' | 'invalid') =>
  readdirSync(join(__dirname, 'fixtures', kind)).map(
    (file) =>
      [file, JSON.parse(readFileSync(join(__dirname, 'fixtures', kind, file), 'utf8')) as unknown] as const,
  );

describe('aggregator-state value schema', () => {
  it.each(fixtures('valid'))('accepts and round-trips %s', (_file, value) => {
    const sut: unknown = stateType.fromBuffer(stateType.toBuffer(value));

    expect(stateType.isValid(value)).toBe(true);
    expect(JSON.parse(JSON.stringify(sut))).toEqual(value);
  });

  it.each(fixtures('invalid'))('rejects %s', (_file, value) => {
    expect(stateType.isValid(value)).toBe(false);
  });

  it('has valid and invalid fixtures', () => {
    expect(fixtures('valid').length).toBeGreaterThan(0);
    expect(fixtures('invalid').length).toBeGreaterThan(0);
  });
});
