// Reads and validates the entity definitions and product catalogue files at boot, and builds the
// extractor from them. Every problem (missing file, bad JSON, invalid definition) surfaces as one
// InvalidConfigurationError naming the file and the path inside it, never a stack trace.
import { readFileSync } from 'node:fs';
import {
  createExtractor,
  type EntityDefinition,
  type Extractor,
  InvalidConfigurationError,
  parseEntityDefinitions,
  parseProductCatalogue,
} from '@crm/extraction';

export interface ExtractionSettings {
  readonly definitionsFile: string;
  readonly catalogueFile: string;
  readonly defaultRegion: string;
  /** Agent mentions count: definitions that ask for the customer's words accept any participant's. */
  readonly agentMentionsCount: boolean;
  readonly clock?: () => number;
}

export interface LoadedExtraction {
  readonly extractor: Extractor;
  readonly definitionsVersion: string;
  readonly definitions: readonly EntityDefinition[];
}

function readJson(label: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidConfigurationError(`${label} (${file})`, [
      { path: '', message: `cannot read the file (${code})` },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unparseable';
    throw new InvalidConfigurationError(`${label} (${file})`, [
      { path: '', message: `not valid JSON: ${message}` },
    ]);
  }
}

/** Names the file in problems the parsers report, which only know the content. */
function withFile<T>(file: string, parse: (json: unknown) => T, label: string): T {
  const json = readJson(label, file);
  try {
    return parse(json);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      throw new InvalidConfigurationError(`${error.source} (${file})`, error.issues);
    }
    throw error;
  }
}

export function loadExtraction(settings: ExtractionSettings): LoadedExtraction {
  const parsed = withFile(settings.definitionsFile, parseEntityDefinitions, 'entity definitions');
  const catalogue = withFile(settings.catalogueFile, parseProductCatalogue, 'product catalogue');
  const definitions = settings.agentMentionsCount
    ? parsed.definitions.map((definition): EntityDefinition =>
        definition.participant === 'customer' ? { ...definition, participant: 'any' } : definition,
      )
    : parsed.definitions;
  const extractor = createExtractor({
    definitions,
    catalogue,
    defaultRegion: settings.defaultRegion,
    definitionsVersion: parsed.version,
    ...(settings.clock ? { clock: settings.clock } : {}),
  });
  return { extractor, definitionsVersion: parsed.version, definitions };
}

/** For main(): load, or print the readable problem list and exit non-zero (EX_CONFIG). */
export function loadExtractionOrExit(settings: ExtractionSettings): LoadedExtraction {
  try {
    return loadExtraction(settings);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      process.stderr.write(`${error.message}\nSee apps/extractor/README.md "Configuration".\n`);
      process.exit(78);
    }
    throw error;
  }
}
