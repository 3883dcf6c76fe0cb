import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { MESSAGE_SCHEMAS, type MessageName } from './schemas.generated';
import { subjectFor } from './subjects';
import { TOPIC_SPECS, Topics } from './topics';

const messagesDir = join(__dirname, 'messages');
const folders = readdirSync(messagesDir).sort();

function fixtures(folder: string, kind: 'valid' | 'invalid'): Array<[string, unknown]> {
  const dir = join(messagesDir, folder, 'fixtures', kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown]);
}

describe('contracts', () => {
  it.each(folders)(
    '%s has a key and value schema, and at least one valid and one invalid fixture',
    (folder) => {
      expect(existsSync(join(messagesDir, folder, 'key.avsc'))).toBe(true);
      expect(existsSync(join(messagesDir, folder, 'value.avsc'))).toBe(true);
      expect(fixtures(folder, 'valid').length).toBeGreaterThan(0);
      expect(fixtures(folder, 'invalid').length).toBeGreaterThan(0);
    },
  );

  it.each(folders)('%s: valid fixtures encode and decode unchanged; invalid ones are refused', (folder) => {
    const type = avro.Type.forSchema(MESSAGE_SCHEMAS[folder as MessageName].value as unknown as avro.Schema);
    for (const [file, value] of fixtures(folder, 'valid')) {
      const errors: string[] = [];
      const valid = type.isValid(value, { errorHook: (path) => errors.push(path.join('.')) });
      expect({ file, valid, errors }).toEqual({ file, valid: true, errors: [] });
      expect(type.fromBuffer(type.toBuffer(value))).toEqual(value);
    }
    for (const [file, value] of fixtures(folder, 'invalid')) {
      expect({ file, valid: type.isValid(value) }).toEqual({ file, valid: false });
    }
  });

  it('generated types and schemas are up to date with the .avsc files', () => {
    const result = spawnSync(
      process.execPath,
      [join(__dirname, '../../../tools/codegen/avro-to-ts.mjs'), '--check'],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('names every topic <domain>.<internal|external>.<event>.v<N> and declares it once', () => {
    const names = Object.values(Topics);
    for (const name of names) expect(name).toMatch(/^[a-z]+\.(internal|external)\.[a-z-]+\.v\d+$/);
    expect(new Set(TOPIC_SPECS.map((spec) => spec.name))).toEqual(new Set(names));
    expect(TOPIC_SPECS).toHaveLength(names.length);
  });

  it('keeps personal data on bounded retention and compacts only state topics', () => {
    for (const spec of TOPIC_SPECS) {
      expect(spec.retentionMs).toBeGreaterThan(0);
      if (spec.personalData) expect(spec.retentionMs).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);
    }
    expect(
      TOPIC_SPECS.filter((spec) => spec.cleanupPolicy === 'compact')
        .map((spec) => spec.name)
        .sort(),
    ).toEqual([Topics.aggregatorState, Topics.analyticsPollSchedule, Topics.crmWriteState].sort());
  });

  it('uses the TopicNameStrategy for subjects', () => {
    expect(subjectFor(Topics.conversationEvents, 'value')).toBe(
      'genesys.external.conversation-events.v1-value',
    );
  });
});
