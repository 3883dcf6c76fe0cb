// A definition turned into what runs per message: compiled patterns, matcher, channel set. Built once
// at start-up so the per-message path does no parsing.
import { type MediaType, type Participant } from '@crm/contracts';

import { type EntityDefinition } from '../definitions/entity-definition.schema';
import { type ProductCatalogue } from '../definitions/product-catalogue.schema';
import { ContextKeywords } from '../matchers/context-keywords';
import { DictionaryMatcher } from '../matchers/dictionary.matcher';
import { NerMatcher } from '../matchers/ner.matcher';
import { RegexMatcher } from '../matchers/regex.matcher';
import { type NerEngine } from '../ner/ner-engine';

export type TextMatcher = RegexMatcher | DictionaryMatcher | NerMatcher;

export interface CompiledDefinition {
  readonly definition: EntityDefinition;
  /** Definitions with the same chain share one normalised view per message. */
  readonly chainKey: string;
  readonly mediaTypes: ReadonlySet<MediaType>;
  readonly format: RegExp | null;
  readonly keywords: ContextKeywords | null;
  /** Only worth running when the message has digits or spoken numbers. */
  readonly needsDigits: boolean;
  /**
   * Only worth running when the text has an "@" (the pattern requires one), or, for speech with the
   * spoken-email normaliser, a " dot " from which that normaliser could write one.
   */
  readonly needsAt: boolean;
  readonly spokenEmail: boolean;
  readonly matcher: TextMatcher | null;
  readonly vendorTypes: ReadonlySet<string>;
}

export function compileDefinition(
  definition: EntityDefinition,
  catalogue: ProductCatalogue,
  nerEngine: () => NerEngine,
): CompiledDefinition {
  return {
    definition,
    chainKey: definition.normalisers.join('>'),
    mediaTypes: new Set(definition.channels.map((channel) => channel.toUpperCase() as MediaType)),
    format: definition.format === undefined ? null : new RegExp(definition.format),
    keywords: definition.context === undefined ? null : new ContextKeywords(definition.context),
    needsDigits: definition.normalisers.includes('digit-groups'),
    needsAt: definition.method === 'regex' && requiresAt(definition.pattern),
    spokenEmail: definition.normalisers.includes('spoken-email'),
    matcher: matcherOf(definition, catalogue, nerEngine),
    vendorTypes: new Set(
      definition.method === 'vendor' ? definition.vendorTypes.map((type) => type.toLowerCase()) : [],
    ),
  };
}

/**
 * Whether every match contains a literal "@": one outside character classes, not optional, with no
 * alternation or negative look-around anywhere that could make it so (a conservative test).
 */
function requiresAt(pattern: string): boolean {
  const outsideClasses = pattern.replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return outsideClasses.includes('@') && !/@(?:[?*]|\{0)|\||\(\?<?!/.test(outsideClasses);
}

function matcherOf(
  definition: EntityDefinition,
  catalogue: ProductCatalogue,
  nerEngine: () => NerEngine,
): TextMatcher | null {
  switch (definition.method) {
    case 'regex':
      return new RegexMatcher(definition);
    case 'dictionary':
      return new DictionaryMatcher(definition, catalogue);
    case 'ner':
      return new NerMatcher(definition, catalogue, nerEngine());
    case 'vendor':
      return null;
  }
}

export function acceptsParticipant(definition: EntityDefinition, participant: Participant): boolean {
  switch (definition.participant) {
    case 'any':
      return true;
    case 'customer':
      return participant === 'CUSTOMER';
    case 'agent':
      return participant === 'AGENT';
  }
}
