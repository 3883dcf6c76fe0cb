// Finds catalogue products in inflected or re-spelled forms the dictionary misses ("two smart
// watches", "bluetooth speakers"), by comparing lemma sequences from the NLP library and requiring
// the phrase to end in a noun. The NLP call is the expensive part, so a cheap head-word test runs
// first and most messages never reach it.
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

export class NerMatcher {
  private readonly byLemmas = new Map<string, string>();
  private readonly maxTokens: number;
  private readonly headWords: RegExp;

  constructor(
    private readonly definition: NerDefinition,
    catalogue: ProductCatalogue,
    private readonly engine: NerEngine,
  ) {
    let maxTokens = 1;
    const heads = new Set<string>();
    for (const product of catalogue.products) {
      for (const term of [product.name, ...product.aliases]) {
        const tokens = engine.tokens(term);
        maxTokens = Math.max(maxTokens, tokens.length);
        this.byLemmas.set(lemmaKey(tokens), product.name);
        const last =
          term
            .toLowerCase()
            .split(/[\s-]+/)
            .pop() ?? '';
        // The stem of the head noun, so "watches" and "speakers" pass the gate.
        heads.add(last.length > 4 ? last.slice(0, last.length - 1) : last);
      }
    }
    this.maxTokens = maxTokens + 1;
    const alternatives = [...heads].map((head) => head.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.headWords = new RegExp(`\\b(?:${alternatives.join('|')})`, 'g');
  }

  /**
   * Cheap pre-check on the lower-cased text: a catalogue head word ("watch", "speaker") outside the
   * spans already found. Without one the NLP call cannot find anything new.
   */
  mightMatch(lowerText: string, found: readonly TextSpan[]): boolean {
    this.headWords.lastIndex = 0;
    let match = this.headWords.exec(lowerText);
    while (match !== null) {
      const at = match.index;
      if (!found.some((span) => span.start <= at && at < span.end)) return true;
      match = this.headWords.exec(lowerText);
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
