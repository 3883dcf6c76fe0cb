import { type DictionaryDefinition } from '../definitions/entity-definition.schema';
import { type ProductCatalogue } from '../definitions/product-catalogue.schema';
import { type MappedText } from '../text/mapped-text';
import { type Candidate } from './candidate';

/** Key under which a term and its spacing/hyphenation variants ("smart watch", "smartwatch") meet. */
export function termKey(term: string): string {
  return term.toLowerCase().replace(/[\s-]+/g, '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive match of catalogue names and aliases (or a word list). */
export class DictionaryMatcher {
  private readonly pattern: RegExp | null;
  private readonly canonical = new Map<string, string>();

  constructor(
    private readonly definition: DictionaryDefinition,
    catalogue: ProductCatalogue,
  ) {
    const terms: [string, string][] =
      definition.words !== undefined
        ? definition.words.map((word) => [word, word])
        : catalogue.products.flatMap((product) =>
            [product.name, ...product.aliases].map((term): [string, string] => [term, product.name]),
          );
    for (const [term, name] of terms) this.canonical.set(termKey(term), name);
    const alternatives = terms
      .map(([term]) =>
        term
          .toLowerCase()
          .split(/[\s-]+/)
          .map(escape)
          .join('[\\s-]*'),
      )
      .sort((a, b) => b.length - a.length);
    this.pattern = alternatives.length === 0 ? null : new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'g');
  }

  match(view: MappedText, original: string): Candidate[] {
    if (this.pattern === null) return [];
    const out: Candidate[] = [];
    this.pattern.lastIndex = 0;
    let match = this.pattern.exec(view.text);
    while (match !== null) {
      const name = this.canonical.get(termKey(match[0]));
      if (name !== undefined) {
        const span = view.toOriginal(match.index, match.index + match[0].length);
        out.push({
          definition: this.definition,
          method: 'DICTIONARY',
          span,
          raw: original.slice(span.start, span.end),
          normalised: name,
          matcherConfidence: this.definition.matcherConfidence,
          spokenForm: false,
        });
      }
      match = this.pattern.exec(view.text);
    }
    return out;
  }
}
