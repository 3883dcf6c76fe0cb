import { SHIPPED_ENTITY_DEFINITIONS_JSON as defaults } from '../../testing';

import { InvalidConfigurationError } from './configuration.error';
import { parseEntityDefinitions } from './parse-entity-definitions';

function problemsOf(json: unknown): string[] {
  try {
    parseEntityDefinitions(json);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe(parseEntityDefinitions.name, () => {
  const sut = parseEntityDefinitions;

  it('parses the shipped defaults with DESIGN.md §10 defaults filled in', () => {
    const result = sut(defaults);
    const order = result.definitions.find((d) => d.name === 'OrderNumber' && d.method === 'regex');

    expect(order).toMatchObject({ minConfidence: 0.9, participant: 'customer' });
    expect(order?.channels).toContain('voice');
    expect(new Set(result.definitions.map((d) => d.name))).toEqual(
      new Set(['CardNumber', 'OrderNumber', 'AccountId', 'CaseNumber', 'Email', 'Phone', 'ProductRequest']),
    );
  });

  it('lists every problem with its path in one error', () => {
    const problems = problemsOf({
      version: '1',
      definitions: [
        { name: 'order', method: 'regex', pattern: '(', validator: 'order-number' },
        { name: 'Email', method: 'regex', pattern: 'x', validator: 'nope', minConfidence: 2 },
      ],
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^definitions\[0\]\.name: /),
        expect.stringMatching(/^definitions\[1\]\.validator: /),
        expect.stringMatching(/^definitions\[1\]\.minConfidence: /),
      ]),
    );
  });

  it('rejects a pattern that does not compile, naming its path', () => {
    expect(
      problemsOf({
        version: '1',
        definitions: [{ name: 'X', method: 'regex', pattern: '(', validator: 'email' }],
      }),
    ).toEqual([expect.stringMatching(/^definitions\[0\]\.pattern: invalid regular expression/)]);
  });

  it('rejects a capture group the pattern does not have', () => {
    expect(
      problemsOf({
        version: '1',
        definitions: [{ name: 'X', method: 'regex', pattern: 'a', group: 1, validator: 'email' }],
      }),
    ).toEqual([expect.stringMatching(/^definitions\[0\]\.group: /)]);
  });

  it('rejects redaction on anything but the card-number validator', () => {
    expect(
      problemsOf({
        version: '1',
        definitions: [{ name: 'X', method: 'regex', pattern: 'a', validator: 'email', redact: true }],
      }),
    ).toEqual([expect.stringMatching(/^definitions\[0\]\.redact: /)]);
  });

  it('rejects an unknown method', () => {
    expect(
      problemsOf({ version: '1', definitions: [{ name: 'X', method: 'magic', validator: 'email' }] }),
    ).toHaveLength(1);
  });

  it('puts every problem in a readable message for the boot log', () => {
    expect(() => sut({ version: '', definitions: [] })).toThrow(
      /Invalid entity definitions:\n {2}- version: .*\n {2}- definitions: /,
    );
  });
});
