// The shape of config/entity-definitions.json. Every field has a default that matches DESIGN.md §10,
// so a definition only states what differs.
import { z } from 'zod';

import { NORMALISER_NAMES } from '../normalisers/normaliser';
import { VALIDATOR_NAMES } from '../validators/value-validator';

export const CHANNELS = ['voice', 'chat', 'message', 'email', 'callback', 'unknown'] as const;
export type Channel = (typeof CHANNELS)[number];
export const NER_LABELS = ['PRODUCT'] as const;

const ContextSchema = z.strictObject({
  /** Words that say which field a value belongs to ("order number", "phone"). */
  keywords: z.array(z.string().trim().min(1)).min(1),
  /** How far before and after the value (characters of the original text) a keyword counts. */
  before: z.int().min(0).default(60),
  after: z.int().min(0).default(30),
  /** Matcher confidence when no keyword is found: below the threshold, so it is held back for review. */
  confidenceWithout: z.number().min(0).max(1).default(0.75),
});

const common = {
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be PascalCase, e.g. OrderNumber'),
  minConfidence: z.number().min(0).max(1).default(0.9),
  participant: z.enum(['customer', 'agent', 'any']).default('customer'),
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .default([...CHANNELS]),
  normalisers: z.array(z.enum(NORMALISER_NAMES)).default(['lowercase']),
  validator: z.enum(VALIDATOR_NAMES),
  /** Final strict check of the canonical value, as the CRM field expects it. */
  format: z.string().min(1).optional(),
  /** The matcher's own confidence in a hit, before ASR confidence is applied. */
  matcherConfidence: z.number().min(0).max(1).default(1),
  context: ContextSchema.optional(),
  /** Matches are redacted (counted, reported without value), never emitted. */
  redact: z.boolean().default(false),
};

const RegexDefinitionSchema = z.strictObject({
  ...common,
  method: z.literal('regex'),
  pattern: z.string().min(1),
  flags: z
    .string()
    .regex(/^[imsu]*$/, 'only i, m, s and u are allowed')
    .default(''),
  /** Capture group holding the value; 0 = the whole match. */
  group: z.int().min(0).default(0),
});

const DictionaryDefinitionSchema = z.strictObject({
  ...common,
  method: z.literal('dictionary'),
  catalogue: z.literal('products').optional(),
  words: z.array(z.string().trim().min(1)).min(1).optional(),
});

const NerDefinitionSchema = z.strictObject({
  ...common,
  method: z.literal('ner'),
  nerLabel: z.enum(NER_LABELS),
  catalogue: z.literal('products'),
});

const VendorDefinitionSchema = z.strictObject({
  ...common,
  method: z.literal('vendor'),
  /** Vendor entity_type names (Genesys analytics) that mean this entity, compared case-insensitively. */
  vendorTypes: z.array(z.string().trim().min(1)).min(1),
});

export const EntityDefinitionSchema = z.discriminatedUnion('method', [
  RegexDefinitionSchema,
  DictionaryDefinitionSchema,
  NerDefinitionSchema,
  VendorDefinitionSchema,
]);

export const EntityDefinitionsFileSchema = z.strictObject({
  version: z.string().min(1),
  definitions: z.array(EntityDefinitionSchema).min(1),
});

export type EntityDefinition = z.output<typeof EntityDefinitionSchema>;
export type RegexDefinition = z.output<typeof RegexDefinitionSchema>;
export type DictionaryDefinition = z.output<typeof DictionaryDefinitionSchema>;
export type NerDefinition = z.output<typeof NerDefinitionSchema>;
export type VendorDefinition = z.output<typeof VendorDefinitionSchema>;
export type EntityContext = z.output<typeof ContextSchema>;

export interface EntityDefinitions {
  readonly version: string;
  readonly definitions: readonly EntityDefinition[];
}
