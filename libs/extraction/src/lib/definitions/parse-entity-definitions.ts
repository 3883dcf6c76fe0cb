import { type ConfigurationIssue, InvalidConfigurationError } from './configuration.error';
import {
  type EntityDefinition,
  type EntityDefinitions,
  EntityDefinitionsFileSchema,
} from './entity-definition.schema';

/**
 * Validates the entity definitions file's content (already JSON-parsed). Throws an
 * InvalidConfigurationError that lists every problem with its path, for a readable boot failure.
 */
export function parseEntityDefinitions(json: unknown): EntityDefinitions {
  const parsed = EntityDefinitionsFileSchema.safeParse(json);
  if (!parsed.success) throw InvalidConfigurationError.fromZod('entity definitions', parsed.error);
  const issues = parsed.data.definitions.flatMap((definition, index) =>
    checkDefinition(definition, `definitions[${index}]`),
  );
  const seen = new Set<string>();
  parsed.data.definitions.forEach((definition, index) => {
    const key = `${definition.name}/${definition.method}`;
    if (seen.has(key))
      issues.push({ path: `definitions[${index}]`, message: `duplicate ${definition.method} definition` });
    seen.add(key);
  });
  if (issues.length > 0) throw new InvalidConfigurationError('entity definitions', issues);
  return parsed.data;
}

function checkDefinition(definition: EntityDefinition, path: string): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  const lowercase = definition.normalisers.indexOf('lowercase');
  if (lowercase > 0) issues.push({ path: `${path}.normalisers`, message: 'lowercase must come first' });
  if (definition.format !== undefined && compileError(definition.format, '') !== undefined) {
    issues.push({ path: `${path}.format`, message: `invalid regular expression` });
  }
  if (definition.redact !== (definition.validator === 'card-number')) {
    issues.push({
      path: `${path}.redact`,
      message: 'redact goes with, and only with, the card-number validator',
    });
  }
  switch (definition.method) {
    case 'regex': {
      const error = compileError(definition.pattern, definition.flags);
      if (error !== undefined) {
        issues.push({ path: `${path}.pattern`, message: `invalid regular expression: ${error}` });
      } else if (definition.group > groupCount(definition.pattern, definition.flags)) {
        issues.push({ path: `${path}.group`, message: `pattern has fewer than ${definition.group} groups` });
      }
      break;
    }
    case 'dictionary':
      if ((definition.catalogue === undefined) === (definition.words === undefined)) {
        issues.push({ path: path, message: 'a dictionary needs exactly one of catalogue or words' });
      }
      break;
    case 'ner':
    case 'vendor':
      break;
  }
  return issues;
}

function compileError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'unparseable';
  }
}

function groupCount(pattern: string, flags: string): number {
  // An empty alternative always matches, and the match array has one slot per capture group.
  return (new RegExp(`${pattern}|`, flags).exec('')?.length ?? 1) - 1;
}
