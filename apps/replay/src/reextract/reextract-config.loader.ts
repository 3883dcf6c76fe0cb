// Loads what a re-extraction runs with: the entity definitions under review (a file other than the
// extractor's), the product catalogue, the aggregation policy, and the entity → CRM field names.
import { readFileSync } from 'node:fs';
import { type AggregationPolicy, DEFAULT_AGGREGATION_POLICY } from '@crm/aggregation';
import { parseFieldMapping } from '@crm/crm';
import {
  createExtractor,
  type Extractor,
  parseEntityDefinitions,
  parseProductCatalogue,
} from '@crm/extraction';

export interface ReextractSettings {
  definitionsFile: string;
  catalogueFile: string;
  fieldMappingFile: string;
  defaultRegion: string;
}

export interface ReextractConfig {
  extractor: Extractor;
  definitionsVersion: string;
  policy: AggregationPolicy;
  fieldOf: (entityType: string) => string;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

export function loadReextractConfig(settings: ReextractSettings): ReextractConfig {
  const { version, definitions } = parseEntityDefinitions(readJson(settings.definitionsFile));
  const extractor = createExtractor({
    definitions,
    catalogue: parseProductCatalogue(readJson(settings.catalogueFile)),
    defaultRegion: settings.defaultRegion,
    definitionsVersion: version,
  });
  const mapping = parseFieldMapping(readJson(settings.fieldMappingFile)).salesforce;
  return {
    extractor,
    definitionsVersion: version,
    policy: DEFAULT_AGGREGATION_POLICY,
    fieldOf: (entityType) => mapping.fields[entityType]?.field ?? entityType,
  };
}
