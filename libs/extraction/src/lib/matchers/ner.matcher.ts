// Finds catalogue products in inflected or re-spelled forms the dictionary misses ("two smart
// watches", "bluetooth speakers"), by comparing lemma sequences from the NLP library and requiring
// the phrase to end in a noun. The NLP call is the expensive part, so a cheap whole-term test runs
// first and most messages never reach it. Inflected forms must start with the first four letters of
// each catalogue word (true of regular plurals); an irregular form needs a catalogue alias.
import { type TextSpan } from '@crm/contracts';

import { type NerDefinition } from '../definitions/entity-definition.schema';
import { type ProductCatalogue } from '../definitions/product-catalogue.schema';
import { type NerEngine, type NerToken } from '../ner/ner-engine';
import { type Candidate } from './candidate';

const NOUN_TAGS = new Set(['NOUN', 'PROPN']);

function lemmaKey(tokens: readonly NerToken[]): string {
  return tokens
    .filter((token) => token.pos !== 'PUNCT')
    .map((token) => token.lemma.toLowerCase())
    .join('');
}

/**
 * A loose regex for any inflected form of a term: each word's stem (its first four letters at most,
 * so "cancelling" and "canceling" meet, and "watches" still passes) followed by any letters, the
 * words separated by anything that is not a letter or digit (punctuation tokens are ignored by
 * lemmaKey, so "usb-c" and "usb c" are the same term).
 */
function termShape(term: string): string {
  return term
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0)
    .map(
      (word) => word.slice(0, Math.min(word.length, 4)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[a-z0-9]*',
    )
    .join('[^a-z0-9]*');
}

export class NerMatcher {
  private readonly byLemmas = new Map<string, string>();
  private readonly maxTokens: number;
  private readonly terms: RegExp;

  constructor(
    private readonly definition: NerDefinition,
    catalogue: ProductCatalogue,
    private readonly engine: NerEngine,
  ) {
    let maxTokens = 1;
    const shapes = new Set<string>();
    for (const product of catalogue.products) {
      for (const term of [product.name, ...product.aliases]) {
        const tokens = engine.tokens(term);
        maxTokens = Math.max(maxTokens, tokens.length);
        this.byLemmas.set(lemmaKey(tokens), product.name);
        shapes.add(termShape(term));
      }
    }
    this.maxTokens = maxTokens + 1;
    this.terms = new RegExp(`\\b(?:${[...shapes].join('|')})`, 'g');
  }

  /**
   * Cheap pre-check on the lower-cased text: NER only ever finds a whole catalogue term (its lemma
   * sequence), so without every word of some term, in order and in some inflected form, outside the
   * spans already found, the NLP call cannot find anything new. Checking the whole term rather than
   * its head word keeps "my case number" and "I was charged" away from the NLP library.
   */
  mightMatch(lowerText: string, found: readonly TextSpan[]): boolean {
    this.terms.lastIndex = 0;
    let match = this.terms.exec(lowerText);
    while (match !== null) {
      const at = match.index;
      if (!found.some((span) => span.start <= at && at < span.end)) return true;
      this.terms.lastIndex = at + 1;
      match = this.terms.exec(lowerText);
    }
    return false;
  }

  match(original: string): Candidate[] {
    const tokens = this.engine.tokens(original);
    const out: Candidate[] = [];
    let i = 0;
    while (i < tokens.length) {
      let matched = 0;
      for (let n = Math.min(this.maxTokens, tokens.length - i); n >= 1 && matched === 0; n--) {
        const window = tokens.slice(i, i + n);
        const last = window[window.length - 1];
        // A lone word must be a noun ("I watch" is no product); in a multi-word term the tagger's
        // verdict on the head is unreliable ("laptop stands" tags "stands" as a verb).
        if (last === undefined || (n === 1 && !NOUN_TAGS.has(last.pos))) continue;
        const name = this.byLemmas.get(lemmaKey(window));
        const first = window[0];
        if (name === undefined || first === undefined) continue;
        const span = { start: first.start, end: last.end };
        out.push({
          definition: this.definition,
          method: 'NER',
          span,
          raw: original.slice(span.start, span.end),
          normalised: name,
          matcherConfidence: this.definition.matcherConfidence,
          spokenForm: false,
        });
        matched = n;
      }
      i += Math.max(matched, 1);
    }
    return out;
  }
}
