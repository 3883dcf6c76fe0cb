import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigurationError } from '@crm/extraction';
import { aChatMessage } from '@crm/extraction/testing';
import { loadExtraction } from './extraction-config.loader';

const CONFIG_DIR = join(__dirname, '..', '..', '..', '..', 'config');
const SHIPPED = {
  definitionsFile: join(CONFIG_DIR, 'entity-definitions.json'),
  catalogueFile: join(CONFIG_DIR, 'product-catalogue.json'),
  defaultRegion: 'US',
  agentMentionsCount: false,
};

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'extractor-config-')), name);
  writeFileSync(file, content);
  return file;
}

function failureOf(run: () => unknown): InvalidConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error;
    throw error;
  }
  throw new Error('expected an InvalidConfigurationError');
}

describe(loadExtraction.name, () => {
  it('builds an extractor from the shipped definitions and catalogue', () => {
    const sut = loadExtraction(SHIPPED);

    expect(sut.definitionsVersion).toBe('2025-01-01.1');
    expect(sut.extractor.extract(aChatMessage('my order number is 4155550132')).accepted).toEqual([
      expect.objectContaining({ entityType: 'OrderNumber', value: '4155550132' }),
    ]);
  });

  it('names the missing file without a stack trace', () => {
    const error = failureOf(() =>
      loadExtraction({ ...SHIPPED, definitionsFile: '/nowhere/definitions.json' }),
    );

    expect(error.message).toBe(
      'Invalid entity definitions (/nowhere/definitions.json):\n  - (root): cannot read the file (ENOENT)',
    );
  });

  it('reports JSON that does not parse', () => {
    const catalogueFile = tempFile('catalogue.json', '{ "products": [');

    expect(failureOf(() => loadExtraction({ ...SHIPPED, catalogueFile })).message).toMatch(
      /^Invalid product catalogue \(.*catalogue\.json\):\n {2}- \(root\): not valid JSON/,
    );
  });

  it('lists each invalid definition with its path inside the file', () => {
    const shipped = JSON.parse(readFileSync(SHIPPED.definitionsFile, 'utf8')) as { definitions: object[] };
    const definitionsFile = tempFile(
      'definitions.json',
      JSON.stringify({
        ...shipped,
        definitions: [...shipped.definitions, { name: 'lower', method: 'regex' }],
      }),
    );

    const error = failureOf(() => loadExtraction({ ...SHIPPED, definitionsFile }));

    expect(error.issues.map((issue) => issue.path)).toContain(
      `definitions[${shipped.definitions.length}].name`,
    );
    expect(error.message).toContain(definitionsFile);
  });

  it('rejects an unknown phone region', () => {
    expect(failureOf(() => loadExtraction({ ...SHIPPED, defaultRegion: 'ZZ' })).issues).toEqual([
      { path: 'defaultRegion', message: 'not a supported ISO 3166 region' },
    ]);
  });

  it('ignores agent mentions by default and counts them when configured', () => {
    const readBack = aChatMessage('your order number is 4155550132', { participant: 'AGENT' });

    expect(loadExtraction(SHIPPED).extractor.extract(readBack).accepted).toEqual([]);
    expect(
      loadExtraction({ ...SHIPPED, agentMentionsCount: true }).extractor.extract(readBack).accepted,
    ).toEqual([expect.objectContaining({ entityType: 'OrderNumber', participant: 'AGENT' })]);
  });
});
