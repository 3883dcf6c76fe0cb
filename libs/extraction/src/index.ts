export {
  createExtractor,
  type ExtractionResult,
  type Extractor,
  type ExtractorOptions,
} from './lib/extractor/create-extractor';
export { contactHintsLifecycle, toLifecycle } from './lib/extractor/to-lifecycle';
export { entityIdOf } from './lib/extractor/entity-id';
export { parseEntityDefinitions } from './lib/definitions/parse-entity-definitions';
export {
  parseProductCatalogue,
  type Product,
  type ProductCatalogue,
} from './lib/definitions/product-catalogue.schema';
export { type ConfigurationIssue, InvalidConfigurationError } from './lib/definitions/configuration.error';
export {
  CHANNELS,
  type Channel,
  type EntityDefinition,
  type EntityDefinitions,
  NER_LABELS,
} from './lib/definitions/entity-definition.schema';
export { type NerEngine, type NerToken } from './lib/ner/ner-engine';
export { createWinkNerEngine } from './lib/ner/wink.ner-engine';
export { SPOKEN_FORM_FACTOR } from './lib/confidence/combine-confidence';
