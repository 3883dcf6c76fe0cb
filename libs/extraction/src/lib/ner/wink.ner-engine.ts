// wink-nlp with its bundled English "lite web" model: tokens, POS tags and lemmas, offline, ~10x
// faster than compromise on our corpus (see README for the measured comparison).
// Memory: a wink instance caches every token its model does not know (order numbers, emails,
// names...) for good, about 150 bytes each, so a long-running extractor would grow without bound.
// The engine therefore replaces its instance (a fresh copy of the model, same results) once it has
// read `recycleAfterTokens` tokens, which bounds that cache to a few MiB.
import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';

import { type NerEngine, type NerToken } from './ner-engine';

/** ≈150 B per unseen token at most: ≤ ~15 MiB of cache before the instance is replaced. */
export const DEFAULT_RECYCLE_AFTER_TOKENS = 100_000;

export interface WinkNerEngineOptions {
  /** Tokens read by one wink instance before it is replaced by a fresh one. */
  readonly recycleAfterTokens?: number;
}

export function createWinkNerEngine(options: WinkNerEngineOptions = {}): NerEngine {
  const recycleAfterTokens = options.recycleAfterTokens ?? DEFAULT_RECYCLE_AFTER_TOKENS;
  const load = () => winkNLP(model, ['pos', 'sbd', 'negation']);
  let current: ReturnType<typeof load> | null = load();
  let tokensRead = 0;
  return {
    name: 'wink-nlp',
    tokens(text: string): readonly NerToken[] {
      if (current === null || tokensRead >= recycleAfterTokens) {
        // Let go of the old instance first, so two never coexist under a capped heap.
        current = null;
        current = load();
        tokensRead = 0;
      }
      const nlp = current;
      const its = nlp.its;
      // Lower-cased input: the model tags capitalised product words as proper nouns and then does
      // not lemmatise them ("Smart Watches"); lower-casing keeps offsets unchanged for ASCII.
      const lower = text.toLowerCase();
      const doc = nlp.readDoc(lower);
      /* eslint-disable @typescript-eslint/unbound-method -- wink's its.* are stateless selectors, meant to be passed */
      const values = doc.tokens().out(its.value);
      // its.lemma's declared signature (it needs the model add-ons) does not fit out()'s type; it works.
      const lemmas = doc.tokens().out(its.lemma as unknown as typeof its.value);
      const tags = doc.tokens().out(its.pos);
      /* eslint-enable @typescript-eslint/unbound-method */
      tokensRead += values.length;
      const out: NerToken[] = [];
      let cursor = 0;
      values.forEach((value, index) => {
        const start = lower.indexOf(value, cursor);
        if (start < 0) return;
        cursor = start + value.length;
        out.push({ start, end: cursor, lemma: lemmas[index] ?? value, pos: tags[index] ?? 'X' });
      });
      return out;
    },
  };
}
